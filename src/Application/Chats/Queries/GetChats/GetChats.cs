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

public sealed class GetChatsQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper)
    : IRequestHandler<GetChatsQuery, PaginatedList<ChatDto>>
{
    public Task<PaginatedList<ChatDto>> Handle(GetChatsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var chats = db.Chats.AsNoTracking().Where(c => c.UserId == userId);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var search = request.Search.Trim().ToLower();
            chats = chats.Where(c => c.Title.ToLower().Contains(search));
        }

        return chats
            .OrderByDescending(c => c.LastActivityAt)
            .ThenByDescending(c => c.Id)
            .ProjectTo<ChatDto>(mapper.ConfigurationProvider)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
    }
}
