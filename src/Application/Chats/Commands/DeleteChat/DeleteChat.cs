namespace CleanBackend.Application.Chats.Commands.DeleteChat;

/// <summary>Deletes a chat of the caller; its messages go with it (cascade in the database).</summary>
public sealed record DeleteChatCommand(Guid Id) : IRequest<Unit>;

public sealed class DeleteChatCommandHandler(IApplicationDbContext db, IUser user)
    : IRequestHandler<DeleteChatCommand, Unit>
{
    public async Task<Unit> Handle(DeleteChatCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == request.Id && c.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Chat");
        db.Chats.Remove(chat);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
