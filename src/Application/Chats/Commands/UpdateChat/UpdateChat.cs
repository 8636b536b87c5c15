using System.Text.Json.Serialization;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Chats.Commands.UpdateChat;

public sealed record UpdateChatCommand(string Title) : IRequest<ChatDto>
{
    /// <summary>From the route, not the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }
}

public sealed class UpdateChatCommandValidator : AbstractValidator<UpdateChatCommand>
{
    public UpdateChatCommandValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(Chat.TitleMaxLength);
    }
}

public sealed class UpdateChatCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock, IMapper mapper)
    : IRequestHandler<UpdateChatCommand, ChatDto>
{
    public async Task<ChatDto> Handle(UpdateChatCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == request.Id && c.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Chat");
        chat.Rename(request.Title, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<ChatDto>(chat);
    }
}
