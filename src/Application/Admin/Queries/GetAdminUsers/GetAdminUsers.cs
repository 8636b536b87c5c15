using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Admin.Queries.GetAdminUsers;

/// <summary>Users for admins, newest first, by search, role and state.</summary>
public sealed record GetAdminUsersQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, string? Search = null, string? Role = null, bool? IsActive = null)
    : IRequest<PaginatedList<UserDto>>, IPageRequest;

public sealed class GetAdminUsersQueryValidator : AbstractValidator<GetAdminUsersQuery>
{
    public GetAdminUsersQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.Search).MaximumLength(200);
        RuleFor(x => x.Role).Must(r => r is null || Roles.IsKnown(r)).WithMessage(Roles.OneOfMessage);
    }
}

public sealed class GetAdminUsersQueryHandler(IIdentityService identity, IMapper mapper)
    : IRequestHandler<GetAdminUsersQuery, PaginatedList<UserDto>>
{
    public async Task<PaginatedList<UserDto>> Handle(GetAdminUsersQuery request, CancellationToken cancellationToken)
    {
        var page = await identity.ListAsync(new UserListQuery(request.Page, request.Limit, request.Search, request.Role, request.IsActive), cancellationToken);
        return new PaginatedList<UserDto>(mapper.Map<List<UserDto>>(page.Items), page.Page, page.Limit, page.Total);
    }
}
