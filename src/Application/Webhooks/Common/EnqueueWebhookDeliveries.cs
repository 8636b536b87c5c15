using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Jobs;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Common;

/// <summary>
/// The outbox: a finished job gets one delivery per enabled webhook of its owner that subscribes to the event, added
/// to the job's own unit of work, so a delivery exists exactly when the job's finish is saved.
/// </summary>
public sealed class EnqueueWebhookDeliveriesWhenJobFinishes(IApplicationDbContext db) : INotificationHandler<JobFinishing>
{
    public async Task Handle(JobFinishing notification, CancellationToken cancellationToken)
    {
        var job = notification.Job;
        var type = job.Status switch
        {
            JobStatus.Completed => WebhookEvents.JobCompleted,
            JobStatus.Failed => WebhookEvents.JobFailed,
            JobStatus.Canceled => WebhookEvents.JobCanceled,
            _ => null,
        };
        if (type is null)
        {
            return;
        }

        var webhooks = await db.Webhooks.AsNoTracking()
            .Where(w => w.UserId == job.UserId && w.Enabled)
            .ToListAsync(cancellationToken);
        // The event's time is the job's finish, as its completedAt shows it.
        foreach (var webhook in webhooks.Where(w => w.Subscribes(type)))
        {
            db.WebhookDeliveries.Add(new WebhookDelivery(webhook.Id, type, job.Id, job.CompletedAt ?? notification.Now));
        }
    }
}
