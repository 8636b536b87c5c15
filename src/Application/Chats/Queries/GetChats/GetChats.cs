using CleanBackend.Application.Chats.Common;
using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Chats.Queries.GetChats;

/// <summary>The caller's chats, newest activity first, optionally filtered by a part of the title.</summary>
public sealed record GetChatsQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, string? Search = null)
    : IRequest<PaginatedList<ChatDto>>, IPageRequest;

public sealed class GetChatsQueryValidator : AbstractValidator<GetChatsQuery>
{
    public GetChatsQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.Search).MaximumLength(200);
    }
}

public sealed class GetChatsQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, ChatList chats)
    : IRequestHandler<GetChatsQuery, PaginatedList<ChatDto>>
{
    public Task<PaginatedList<ChatDto>> Handle(GetChatsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        if (string.IsNullOrWhiteSpace(request.Search))
        {
            return chats.ReadAsync(db, userId, request.Page, request.Limit, cancellationToken);
        }

        var search = request.Search.Trim().ToLower();
        return chats.For(db, userId)
            .Where(c => c.Title.ToLower().Contains(search))
            .ProjectTo<ChatDto>(mapper.ConfigurationProvider)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
    }
}

/// <summary>A user's chats, newest activity first.</summary>
public sealed class ChatList(IConfigurationProvider mapping) : CompiledPageQuery<Chat, ChatDto>(
    (db, userId) => db.Set<Chat>().AsNoTracking()
        .Where(c => c.UserId == userId)
        .OrderByDescending(c => c.LastActivityAt)
        .ThenByDescending(c => c.Id),
    mapping);
