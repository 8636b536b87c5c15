using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Common;

/// <summary>
/// A job has just completed, failed or been canceled, and its finish is not saved yet. Handlers add to the same unit
/// of work whatever must exist exactly when the job is over (the chat's answer, and so on), so nothing is lost or
/// doubled when the save fails or a worker dies.
/// </summary>
/// <param name="Job">The finished job, tracked by the unit of work that will save it.</param>
/// <param name="Files">The model files stored for a completed job; none otherwise.</param>
/// <param name="Now">The time of the finish.</param>
public sealed record JobFinishing(GenerationJob Job, IReadOnlyList<Asset> Files, DateTime Now) : INotification;

public static class JobFinishingPublisher
{
    /// <summary>Tells the handlers of <see cref="JobFinishing"/> when the job is over; a job back in the queue is not.</summary>
    public static Task PublishFinishingAsync(this IMediator publisher, GenerationJob job, IReadOnlyList<Asset> files, DateTime now, CancellationToken cancellationToken) =>
        job.IsFinished ? publisher.Publish(new JobFinishing(job, files, now), cancellationToken) : Task.CompletedTask;
}

/// <summary>The assistant's answer in the chat of a finished job that asked for one.</summary>
public sealed class ReplyInChatWhenJobFinishes(IApplicationDbContext db) : INotificationHandler<JobFinishing>
{
    public async Task Handle(JobFinishing notification, CancellationToken cancellationToken)
    {
        if (notification.Job is not { ReplyInChat: true, ChatId: { } chatId })
        {
            return;
        }

        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId, cancellationToken);
        if (chat is not null)
        {
            db.Messages.Add(chat.ReplyToGeneration(notification.Job, notification.Files, notification.Now));
        }
    }
}
