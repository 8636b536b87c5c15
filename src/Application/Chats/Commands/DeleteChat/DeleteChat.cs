namespace CleanBackend.Application.Chats.Commands.DeleteChat;

/// <summary>Deletes a chat of the caller; its messages go with it (cascade in the database), its jobs stay.</summary>
public sealed record DeleteChatCommand(Guid Id) : IRequest<Unit>;

public sealed class DeleteChatCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock)
    : IRequestHandler<DeleteChatCommand, Unit>
{
    public Task<Unit> Handle(DeleteChatCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return db.RetryOnConcurrentChangeAsync(async () =>
        {
            var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == request.Id && c.UserId == userId, cancellationToken)
                ?? throw NotFoundException.For("Chat");
            var now = clock.GetUtcNow().UtcDateTime;
            // Its jobs and their models stay the user's; they only lose the chat.
            var jobs = await db.GenerationJobs.Where(j => j.ChatId == chat.Id).ToListAsync(cancellationToken);
            foreach (var job in jobs)
            {
                job.DetachFromChat(now);
            }

            db.Chats.Remove(chat);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        });
    }
}
