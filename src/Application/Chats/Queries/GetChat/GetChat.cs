using CleanBackend.Application.Chats.Common;

namespace CleanBackend.Application.Chats.Queries.GetChat;

public sealed record GetChatQuery(Guid Id) : IRequest<ChatDto>;

public sealed class GetChatQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper)
    : IRequestHandler<GetChatQuery, ChatDto>
{
    public async Task<ChatDto> Handle(GetChatQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return await db.Chats.AsNoTracking()
            .Where(c => c.Id == request.Id && c.UserId == userId)
            .ProjectTo<ChatDto>(mapper.ConfigurationProvider)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw NotFoundException.For("Chat");
    }
}
