using System.Diagnostics.Metrics;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;
using CleanBackend.Infrastructure.Jobs;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.Metrics;

/// <summary>
/// The service's own meter, "CleanBackend". Jobs by status and the queue depth are gauges over counts read from the
/// database (the queue lives there, shared by every instance, and survives restarts), cached for a few seconds so a
/// scrape costs at most one grouped count. Finished jobs, their durations and model server failures are recorded as
/// they happen in this instance.
/// </summary>
public sealed partial class GenerationMetrics
{
    public const string MeterName = "CleanBackend";

    /// <summary>How old the cached job counts may be before the next read refreshes them.</summary>
    public static readonly TimeSpan JobCountsMaxAge = TimeSpan.FromSeconds(5);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<GenerationMetrics> _logger;
    private readonly Counter<long> _jobsFinished;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _modelServerFailures;
    private volatile JobCounts? _jobCounts;
    private volatile bool _jobsChanged = true;
    private int _refreshing;

    public GenerationMetrics(
        IMeterFactory meters,
        IServiceScopeFactory scopes,
        TimeProvider clock,
        InMemoryJobEventBus events,
        GenerationWorker worker,
        ILogger<GenerationMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _jobsFinished = meter.CreateCounter<long>("cleanbackend.jobs.finished", "{job}", "Generation jobs that finished in this instance, by final status.");
        _jobDuration = meter.CreateHistogram<double>(
            "cleanbackend.job.duration",
            "s",
            "Time from a job's start to its end, by final status.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });
        _modelServerFailures = meter.CreateCounter<long>(
            "cleanbackend.model_server.failures", "{failure}", "Generations the model server failed, by model server.");
        meter.CreateObservableGauge("cleanbackend.jobs", ObserveJobsByStatus, "{job}", "Generation jobs in the database, by status.");
        meter.CreateObservableGauge("cleanbackend.jobs.queue_depth", ObserveQueueDepth, "{job}", "Jobs waiting in the queue.");
        meter.CreateObservableGauge(
            "cleanbackend.worker.running_jobs", () => worker.RunningCount, "{job}", "Jobs this instance's worker is running now.");
        meter.CreateObservableGauge(
            "cleanbackend.job_events.subscribers", () => events.SubscriberCount, "{subscriber}", "Open job event subscriptions (SSE streams, hub relay, the service's own listeners).");
    }

    public void JobFinished(JobStatus status, TimeSpan? duration)
    {
        var tag = new KeyValuePair<string, object?>("status", StatusLabel(status));
        _jobsFinished.Add(1, tag);
        if (duration is { } elapsed)
        {
            _jobDuration.Record(elapsed.TotalSeconds, tag);
        }
    }

    public void ModelServerFailed(string modelServer) =>
        _modelServerFailures.Add(1, new KeyValuePair<string, object?>("model_server", modelServer));

    /// <summary>A job was queued, started or finished: the next read of the counts goes to the database.</summary>
    public void JobsChanged() => _jobsChanged = true;

    /// <summary>Reads the job counts again when they are stale (for a scrape, which then sees them current).</summary>
    public async Task RefreshJobCountsIfStaleAsync(CancellationToken cancellationToken)
    {
        if (JobCountsAreStale)
        {
            await RefreshJobCountsAsync(cancellationToken);
        }
    }

    private bool JobCountsAreStale =>
        _jobsChanged || _jobCounts is not { } counts || _clock.GetUtcNow() - counts.ReadAt >= JobCountsMaxAge;

    private async Task RefreshJobCountsAsync(CancellationToken cancellationToken)
    {
        // Cleared before reading: a change during the read makes the next read go to the database again.
        _jobsChanged = false;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var rows = await db.GenerationJobs.AsNoTracking()
                .GroupBy(j => j.Status)
                .Select(g => new { Status = g.Key, Count = g.LongCount() })
                .ToListAsync(cancellationToken);
            var byStatus = Enum.GetValues<JobStatus>().ToDictionary(s => s, s => rows.Where(r => r.Status == s).Sum(r => r.Count));
            _jobCounts = new JobCounts(byStatus, _clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is not reachable or not migrated yet: the last counts stay, the next read tries again.
            _jobsChanged = true;
            LogJobCountsFailed(_logger, ex);
        }
    }

    /// <summary>Observers are called synchronously (by a scrape or the OTLP exporter): they answer the cache and refresh it in the background.</summary>
    private IEnumerable<Measurement<long>> ObserveJobsByStatus()
    {
        RefreshInBackgroundIfStale();
        return _jobCounts is { } counts
            ? counts.ByStatus.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", StatusLabel(c.Key))))
            : [];
    }

    private IEnumerable<Measurement<long>> ObserveQueueDepth()
    {
        RefreshInBackgroundIfStale();
        return _jobCounts is { } counts ? [new Measurement<long>(counts.ByStatus[JobStatus.Queued])] : [];
    }

    private void RefreshInBackgroundIfStale()
    {
        if (JobCountsAreStale && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshJobCountsAsync(CancellationToken.None);
                }
                finally
                {
                    Volatile.Write(ref _refreshing, 0);
                }
            });
        }
    }

    private static string StatusLabel(JobStatus status) => status.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Debug, Message = "The job counts for the metrics could not be read")]
    private static partial void LogJobCountsFailed(ILogger logger, Exception exception);

    private sealed record JobCounts(IReadOnlyDictionary<JobStatus, long> ByStatus, DateTimeOffset ReadAt);
}
