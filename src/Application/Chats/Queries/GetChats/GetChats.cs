using CleanBackend.Application.Chats.Common;

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

public sealed class GetChatsQueryHandler(IListQueries lists, IUser user, IMapper mapper)
    : IRequestHandler<GetChatsQuery, PaginatedList<ChatDto>>
{
    public Task<PaginatedList<ChatDto>> Handle(GetChatsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        if (string.IsNullOrWhiteSpace(request.Search))
        {
            return lists.ChatPageAsync(userId, request.Page, request.Limit, cancellationToken);
        }

        var search = request.Search.Trim().ToLower();
        return lists.ChatsOf(userId)
            .Where(c => c.Title.ToLower().Contains(search))
            .ProjectTo<ChatDto>(mapper.ConfigurationProvider)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
    }
}
