namespace CleanBackend.Application.Admin.Queries.GetAccountStats;

/// <summary>The accounts at a glance: users, active users, admins, chats, and registrations of the last seven days.</summary>
public sealed record GetAccountStatsQuery : IRequest<AccountStats>;

/// <summary>Counts of accounts; recent registrations are users created in the last <see cref="GetAccountStatsQueryHandler.RecentDays"/> days.</summary>
public sealed record AccountStats(int TotalUsers, int ActiveUsers, int AdminUsers, int TotalChats, int RecentRegistrations);

public sealed class GetAccountStatsQueryHandler(IApplicationDbContext db, IIdentityService identity, TimeProvider clock)
    : IRequestHandler<GetAccountStatsQuery, AccountStats>
{
    public const int RecentDays = 7;

    public async Task<AccountStats> Handle(GetAccountStatsQuery request, CancellationToken cancellationToken)
    {
        var users = await identity.CountAsync(clock.GetUtcNow().UtcDateTime.AddDays(-RecentDays), cancellationToken);
        var chats = await db.Chats.CountAsync(cancellationToken);
        return new AccountStats(users.Total, users.Active, users.Admins, chats, users.RegisteredSince);
    }
}
