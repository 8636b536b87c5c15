using CleanBackend.Application.Analytics.Common;
using CleanBackend.Infrastructure.Redis;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Events;

/// <summary>
/// Drops a user's cached analytics whenever one of their jobs changes, on whichever instance it changed (the job
/// events reach every instance through Redis); after a Redis outage, when events may have been missed, drops all.
/// </summary>
public sealed class AnalyticsInvalidation(IJobEventBus events, AnalyticsCache cache, RedisConnection? redis = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is not null)
        {
            redis.Restored += cache.InvalidateAll;
        }

        try
        {
            await foreach (var jobEvent in events.SubscribeAllAsync(stoppingToken))
            {
                if (jobEvent.Type != JobEventTypes.Progress)
                {
                    cache.Invalidate(jobEvent.UserId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
