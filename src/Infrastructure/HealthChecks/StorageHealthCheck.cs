using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.Infrastructure.HealthChecks;

/// <summary>Asset storage accepts writes; without it generation and uploads fail, but reads still work.</summary>
public sealed class StorageHealthCheck(IFileStorage storage) : IHealthCheck
{
    public const string Name = "storage";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await storage.IsWritableAsync(cancellationToken)
            ? HealthCheckResult.Healthy("writable")
            : HealthCheckResult.Degraded("read-only");
}
