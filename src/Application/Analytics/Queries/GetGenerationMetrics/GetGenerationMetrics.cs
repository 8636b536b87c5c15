using CleanBackend.Application.Analytics.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Analytics.Queries.GetGenerationMetrics;

/// <summary>The caller's generations of the last <c>days</c> days: outcome counts, success rate and average duration.</summary>
public sealed record GetGenerationMetricsQuery(int Days = 7) : IRequest<GenerationMetrics>;

/// <param name="Period">The days looked at.</param>
/// <param name="Total">Jobs created in the period.</param>
/// <param name="Completed">Of which completed.</param>
/// <param name="Failed">Of which failed.</param>
/// <param name="Canceled">Of which canceled.</param>
/// <param name="SuccessRate">completed / total × 100, one decimal (0 with no jobs).</param>
/// <param name="AvgDurationMs">Average running time of the completed jobs.</param>
/// <param name="AvgDurationSec">The same in whole seconds.</param>
public sealed record GenerationMetrics(MetricsPeriod Period, int Total, int Completed, int Failed, int Canceled, double SuccessRate, long AvgDurationMs, long AvgDurationSec);

public sealed record MetricsPeriod(int Days);

public sealed class GetGenerationMetricsQueryValidator : AbstractValidator<GetGenerationMetricsQuery>
{
    public GetGenerationMetricsQueryValidator() => RuleFor(x => x.Days).InclusiveBetween(1, 365);
}

public sealed class GetGenerationMetricsQueryHandler(IApplicationDbContext db, IUser user, TimeProvider clock, AnalyticsCache cache)
    : IRequestHandler<GetGenerationMetricsQuery, GenerationMetrics>
{
    public Task<GenerationMetrics> Handle(GetGenerationMetricsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return cache.GetOrAddAsync(userId, $"generation-metrics:{request.Days}", async () =>
        {
            var since = clock.GetUtcNow().UtcDateTime.AddDays(-request.Days);
            var jobs = db.GenerationJobs.AsNoTracking().Where(j => j.UserId == userId && j.CreatedAt >= since);
            var byStatus = await jobs.GroupBy(j => j.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Status, x => x.Count, cancellationToken);
            var average = await jobs.Where(j => j.Status == JobStatus.Completed && j.DurationMs != null)
                .Select(j => (double?)j.DurationMs)
                .AverageAsync(cancellationToken) ?? 0;
            var total = byStatus.Values.Sum();
            var completed = byStatus.GetValueOrDefault(JobStatus.Completed);
            return new GenerationMetrics(
                new MetricsPeriod(request.Days),
                total,
                completed,
                byStatus.GetValueOrDefault(JobStatus.Failed),
                byStatus.GetValueOrDefault(JobStatus.Canceled),
                total == 0 ? 0 : Math.Round(completed * 100.0 / total, 1, MidpointRounding.AwayFromZero),
                (long)Math.Round(average),
                (long)Math.Round(average / 1000));
        });
    }
}
