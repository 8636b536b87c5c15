using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Users.Queries.GetUsers;

/// <summary>Users, newest first, for admins and moderators.</summary>
public sealed record GetUsersQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, string? Search = null)
    : IRequest<PaginatedList<UserDto>>, IPageRequest;

public sealed class GetUsersQueryValidator : AbstractValidator<GetUsersQuery>
{
    public GetUsersQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.Search).MaximumLength(200);
    }
}

public sealed class GetUsersQueryHandler(IIdentityService identity, IMapper mapper)
    : IRequestHandler<GetUsersQuery, PaginatedList<UserDto>>
{
    public async Task<PaginatedList<UserDto>> Handle(GetUsersQuery request, CancellationToken cancellationToken)
    {
        var page = await identity.ListAsync(new UserListQuery(request.Page, request.Limit, request.Search), cancellationToken);
        return new PaginatedList<UserDto>(mapper.Map<List<UserDto>>(page.Items), page.Page, page.Limit, page.Total);
    }
}
