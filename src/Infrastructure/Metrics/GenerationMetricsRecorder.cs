using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Metrics;

/// <summary>
/// Records each job that finishes in this instance from the job events: its final status, and its duration as the
/// job row has it (start to end, whichever worker ran it). Queued and started events mark the job counts stale.
/// </summary>
public sealed partial class GenerationMetricsRecorder(
    IJobEventBus events,
    GenerationMetrics metrics,
    IServiceScopeFactory scopes,
    ILogger<GenerationMetricsRecorder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var jobEvent in events.SubscribeAllAsync(stoppingToken))
            {
                if (jobEvent.Type is JobEventTypes.Progress)
                {
                    continue;
                }

                metrics.JobsChanged();
                if (jobEvent.Type is JobEventTypes.Completed or JobEventTypes.Failed or JobEventTypes.Canceled)
                {
                    metrics.JobFinished(jobEvent.Status, await DurationAsync(jobEvent.JobId, stoppingToken));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task<TimeSpan?> DurationAsync(Guid jobId, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var durationMs = await db.GenerationJobs.AsNoTracking()
                .Where(j => j.Id == jobId)
                .Select(j => j.DurationMs)
                .FirstOrDefaultAsync(cancellationToken);
            return durationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The job is still counted; only its duration is missing.
            LogDurationFailed(logger, ex, jobId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The duration of job {JobId} could not be read for the metrics")]
    private static partial void LogDurationFailed(ILogger logger, Exception exception, Guid jobId);
}
