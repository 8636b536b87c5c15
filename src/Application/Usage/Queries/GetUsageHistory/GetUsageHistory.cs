using CleanBackend.Application.Usage.Common;

namespace CleanBackend.Application.Usage.Queries.GetUsageHistory;

/// <summary>The caller's credit ledger, newest first; with <paramref name="UserId"/> (administrators only) another user's.</summary>
/// <param name="Page">The page, from 1.</param>
/// <param name="Limit">Entries per page.</param>
/// <param name="UserId">The user, from the admin route; null for the caller.</param>
public sealed record GetUsageHistoryQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, Guid? UserId = null)
    : IRequest<PaginatedList<CreditEntryDto>>, IPageRequest;

public sealed class GetUsageHistoryQueryValidator : AbstractValidator<GetUsageHistoryQuery>
{
    public GetUsageHistoryQueryValidator() => this.AddPageRules();
}

public sealed class GetUsageHistoryQueryHandler(IUser user, IIdentityService identity, UsageReport report)
    : IRequestHandler<GetUsageHistoryQuery, PaginatedList<CreditEntryDto>>
{
    public async Task<PaginatedList<CreditEntryDto>> Handle(GetUsageHistoryQuery request, CancellationToken cancellationToken)
    {
        var userId = request.UserId ?? user.RequiredId();
        if (request.UserId is not null && await identity.FindByIdAsync(userId, cancellationToken) is null)
        {
            throw NotFoundException.For("User");
        }

        return await report.HistoryAsync(userId, request.Page, request.Limit, cancellationToken);
    }
}
