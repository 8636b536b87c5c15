using CleanBackend.Application.Analytics.Common;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Events;

/// <summary>Drops a user's cached analytics whenever one of their jobs changes.</summary>
public sealed class AnalyticsInvalidation(IJobEventBus events, AnalyticsCache cache) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
