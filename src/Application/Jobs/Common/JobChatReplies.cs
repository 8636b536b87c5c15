using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Common;

public static class JobChatReplies
{
    /// <summary>
    /// Adds the assistant's answer to the chat of a finished job that asked for one; the caller saves it with the
    /// job's finish, so the answer exists exactly when the job is over.
    /// </summary>
    public static async Task ReplyInChatAsync(this IApplicationDbContext db, GenerationJob job, IEnumerable<Asset> files, DateTime now, CancellationToken cancellationToken)
    {
        if (job is not { ReplyInChat: true, ChatId: { } chatId, IsFinished: true })
        {
            return;
        }

        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId, cancellationToken);
        if (chat is not null)
        {
            db.Messages.Add(chat.ReplyToGeneration(job, files, now));
        }
    }
}
