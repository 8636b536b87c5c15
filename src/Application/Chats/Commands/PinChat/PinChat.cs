namespace CleanBackend.Application.Chats.Commands.PinChat;

/// <summary>Pins one of the caller's chats to the top of their list, or unpins it.</summary>
public sealed record PinChatCommand(Guid Id, bool IsPinned) : IRequest<Unit>;

public sealed class PinChatCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock)
    : IRequestHandler<PinChatCommand, Unit>
{
    public async Task<Unit> Handle(PinChatCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == request.Id && c.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Chat");
        chat.Pin(request.IsPinned, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
