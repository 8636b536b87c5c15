using CleanBackend.Application.Usage.Common;

namespace CleanBackend.Application.Usage.Queries.GetUsage;

/// <summary>The caller's credits, plan and limits; with <paramref name="UserId"/> (administrators only) another user's.</summary>
/// <param name="UserId">The user, from the admin route; null for the caller.</param>
public sealed record GetUsageQuery(Guid? UserId = null) : IRequest<UsageDto>;

public sealed class GetUsageQueryHandler(IUser user, IIdentityService identity, CreditAccount credits, UsageReport report) : IRequestHandler<GetUsageQuery, UsageDto>
{
    public async Task<UsageDto> Handle(GetUsageQuery request, CancellationToken cancellationToken)
    {
        if (request.UserId is not { } userId)
        {
            return await report.ForAsync(user.RequiredId(), await credits.PlanOfCallerAsync(user, cancellationToken), cancellationToken);
        }

        var account = await identity.FindByIdAsync(userId, cancellationToken) ?? throw NotFoundException.For("User");
        return await report.ForAsync(account.Id, credits.PlanFor(account.Roles), cancellationToken);
    }
}
