using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Admin.Queries.GetSystemStats;

/// <summary>Counts across the whole service, computed by the database, and the newest users and jobs.</summary>
public sealed record GetSystemStatsQuery : IRequest<SystemStats>;

public sealed record SystemStats(UserCounts Users, JobCounts Jobs, TotalCount Assets, TotalCount Chats, TotalCount Messages, RecentActivity Recent);

/// <param name="Total">All users.</param>
/// <param name="Active">Users who can sign in.</param>
/// <param name="Inactive">Deactivated users.</param>
public sealed record UserCounts(int Total, int Active, int Inactive);

public sealed record JobCounts(int Total, JobsByStatus ByStatus);

public sealed record JobsByStatus(int Queued, int Running, int Completed, int Failed, int Canceled);

/// <param name="Total">How many there are (the seed's <c>{"total": n}</c>).</param>
public sealed record TotalCount(int Total);

public sealed record RecentActivity(IReadOnlyList<UserDto> Users, IReadOnlyList<JobDto> Jobs);

public sealed class GetSystemStatsQueryHandler(IApplicationDbContext db, IIdentityService identity, IMapper mapper)
    : IRequestHandler<GetSystemStatsQuery, SystemStats>
{
    public async Task<SystemStats> Handle(GetSystemStatsQuery request, CancellationToken cancellationToken)
    {
        var users = await identity.CountAsync(DateTime.MinValue, cancellationToken);
        var byStatus = await db.GenerationJobs.AsNoTracking()
            .GroupBy(j => j.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Status, x => x.Count, cancellationToken);
        int Of(JobStatus status) => byStatus.GetValueOrDefault(status);

        var recentUsers = await identity.ListAsync(new UserListQuery(1, 5), cancellationToken);
        var recentJobs = await db.GenerationJobs.AsNoTracking()
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(5)
            .ProjectTo<JobDto>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);

        return new SystemStats(
            new UserCounts(users.Total, users.Active, users.Total - users.Active),
            new JobCounts(byStatus.Values.Sum(), new JobsByStatus(Of(JobStatus.Queued), Of(JobStatus.Running), Of(JobStatus.Completed), Of(JobStatus.Failed), Of(JobStatus.Canceled))),
            new TotalCount(await db.Assets.CountAsync(cancellationToken)),
            new TotalCount(await db.Chats.CountAsync(cancellationToken)),
            new TotalCount(await db.Messages.CountAsync(cancellationToken)),
            new RecentActivity(mapper.Map<List<UserDto>>(recentUsers.Items), recentJobs));
    }
}
