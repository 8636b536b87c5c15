using CleanBackend.Application.Analytics.Common;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Analytics.Queries.GetUserStats;

/// <summary>The caller's counts (computed by the database) and latest jobs.</summary>
public sealed record GetUserStatsQuery : IRequest<UserStats>;

public sealed record UserStats(UserJobCounts Jobs, CountOf Assets, CountOf Chats, CountOf Messages, RecentJobs Recent);

public sealed record UserJobCounts(int Total, int Completed, int Failed, int Running, int Queued, int Canceled);

/// <param name="Total">How many there are.</param>
public sealed record CountOf(int Total);

public sealed record RecentJobs(IReadOnlyList<JobDto> Jobs);

public sealed class GetUserStatsQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, AnalyticsCache cache)
    : IRequestHandler<GetUserStatsQuery, UserStats>
{
    public Task<UserStats> Handle(GetUserStatsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return cache.GetOrAddAsync(userId, "stats", async () =>
        {
            var byStatus = await db.GenerationJobs.AsNoTracking().Where(j => j.UserId == userId)
                .GroupBy(j => j.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Status, x => x.Count, cancellationToken);
            int Of(JobStatus status) => byStatus.GetValueOrDefault(status);
            var recent = await db.GenerationJobs.AsNoTracking().Where(j => j.UserId == userId)
                .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(5)
                .ProjectTo<JobDto>(mapper.ConfigurationProvider)
                .ToListAsync(cancellationToken);
            return new UserStats(
                new UserJobCounts(byStatus.Values.Sum(), Of(JobStatus.Completed), Of(JobStatus.Failed), Of(JobStatus.Running), Of(JobStatus.Queued), Of(JobStatus.Canceled)),
                new CountOf(await db.Assets.CountAsync(a => a.UserId == userId, cancellationToken)),
                new CountOf(await db.Chats.CountAsync(c => c.UserId == userId, cancellationToken)),
                new CountOf(await db.Messages.CountAsync(m => db.Chats.Any(c => c.Id == m.ChatId && c.UserId == userId), cancellationToken)),
                new RecentJobs(recent));
        });
    }
}
