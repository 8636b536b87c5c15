using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Credits;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Usage.Common;

/// <summary>
/// A finished job settles its reservation in the job's own unit of work: spent when it completed, refunded when it
/// failed or was canceled. A job that reserved nothing (free) writes nothing; one already settled is left alone.
/// </summary>
public sealed class SettleCreditsWhenJobFinishes(IApplicationDbContext db, CreditAccount credits) : INotificationHandler<JobFinishing>
{
    public async Task Handle(JobFinishing notification, CancellationToken cancellationToken)
    {
        var job = notification.Job;
        var entries = await db.CreditEntries.AsNoTracking()
            .Where(e => e.UserId == job.UserId && e.JobId == job.Id)
            .Select(e => new { e.Kind, e.Amount })
            .ToListAsync(cancellationToken);
        if (entries.FirstOrDefault(e => e.Kind == CreditEntryKind.Reserve) is not { } reserved
            || entries.Any(e => e.Kind is CreditEntryKind.Spend or CreditEntryKind.Refund))
        {
            return;
        }

        var balance = await credits.ReadAsync(job.UserId, cancellationToken);
        db.CreditEntries.Add(job.Status == JobStatus.Completed
            ? balance.Spend(job.Id, reserved.Amount, notification.Now)
            : balance.Refund(job.Id, reserved.Amount, notification.Now));
    }
}
