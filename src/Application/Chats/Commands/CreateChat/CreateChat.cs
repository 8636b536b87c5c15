using CleanBackend.Application.Chats.Common;
using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Chats.Commands.CreateChat;

public sealed record CreateChatCommand(string? Title) : IRequest<ChatDto>;

public sealed class CreateChatCommandValidator : AbstractValidator<CreateChatCommand>
{
    public CreateChatCommandValidator()
    {
        RuleFor(x => x.Title).MaximumLength(Chat.TitleMaxLength);
    }
}

public sealed class CreateChatCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock, IMapper mapper)
    : IRequestHandler<CreateChatCommand, ChatDto>
{
    public async Task<ChatDto> Handle(CreateChatCommand request, CancellationToken cancellationToken)
    {
        var chat = new Chat(user.RequiredId(), request.Title, clock.GetUtcNow().UtcDateTime);
        db.Chats.Add(chat);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<ChatDto>(chat);
    }
}
