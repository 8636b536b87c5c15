using System.Globalization;
using CleanBackend.Application.Analytics.Common;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Analytics.Queries.GetDashboard;

/// <summary>The caller's dashboard over the last <c>days</c> days: one row per day (days without jobs as zeros), assets by format, latest jobs and chats.</summary>
public sealed record GetDashboardQuery(int Days = 30) : IRequest<Dashboard>;

public sealed record Dashboard(DashboardPeriod Period, IReadOnlyList<JobsOnDay> JobsOverTime, IReadOnlyList<FormatCount> AssetsByFormat, IReadOnlyList<JobDto> RecentJobs, IReadOnlyList<ChatDto> RecentChats);

public sealed record DashboardPeriod(DateTime Start, DateTime End, int Days);

/// <param name="Date">The day, YYYY-MM-DD (UTC).</param>
/// <param name="Count">Jobs created that day.</param>
/// <param name="Completed">Of which completed.</param>
/// <param name="Failed">Of which failed.</param>
public sealed record JobsOnDay(string Date, int Count, int Completed, int Failed);

public sealed record FormatCount(AssetFormat Format, int Count);

public sealed class GetDashboardQueryValidator : AbstractValidator<GetDashboardQuery>
{
    public GetDashboardQueryValidator() => RuleFor(x => x.Days).InclusiveBetween(1, 365);
}

public sealed class GetDashboardQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, TimeProvider clock, AnalyticsCache cache)
    : IRequestHandler<GetDashboardQuery, Dashboard>
{
    public Task<Dashboard> Handle(GetDashboardQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return cache.GetOrAddAsync(userId, $"dashboard:{request.Days}", async () =>
        {
            var end = clock.GetUtcNow().UtcDateTime;
            var firstDay = end.Date.AddDays(1 - request.Days);
            var perDay = await db.GenerationJobs.AsNoTracking()
                .Where(j => j.UserId == userId && j.CreatedAt >= firstDay)
                .GroupBy(j => j.CreatedAt.Date)
                .Select(g => new
                {
                    Day = g.Key,
                    Count = g.Count(),
                    Completed = g.Count(j => j.Status == JobStatus.Completed),
                    Failed = g.Count(j => j.Status == JobStatus.Failed),
                })
                .ToListAsync(cancellationToken);
            var byDay = perDay.ToDictionary(d => d.Day.Date);
            var overTime = Enumerable.Range(0, request.Days)
                .Select(i => firstDay.AddDays(i))
                .Select(day => byDay.TryGetValue(day, out var d)
                    ? new JobsOnDay(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Count, d.Completed, d.Failed)
                    : new JobsOnDay(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 0, 0, 0))
                .ToList();

            var formats = await db.Assets.AsNoTracking().Where(a => a.UserId == userId)
                .GroupBy(a => a.Format)
                .Select(g => new FormatCount(g.Key, g.Count()))
                .ToListAsync(cancellationToken);
            var recentJobs = await db.GenerationJobs.AsNoTracking().Where(j => j.UserId == userId)
                .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(5)
                .ProjectTo<JobDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
            var recentChats = await db.Chats.AsNoTracking().Where(c => c.UserId == userId)
                .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).Take(5)
                .ProjectTo<ChatDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
            return new Dashboard(
                new DashboardPeriod(firstDay, end, request.Days),
                overTime,
                [.. formats.OrderByDescending(f => f.Count).ThenBy(f => f.Format)],
                recentJobs,
                recentChats);
        });
    }
}
