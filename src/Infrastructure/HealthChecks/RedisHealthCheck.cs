using CleanBackend.Infrastructure.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.Infrastructure.HealthChecks;

/// <summary>Redis answers; without it the service still serves, with events and limits kept per instance (degraded).</summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public const string Name = "redis";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected ? HealthCheckResult.Healthy("connected") : HealthCheckResult.Degraded("disconnected"));
}
