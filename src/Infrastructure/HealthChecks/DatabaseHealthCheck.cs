using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.Infrastructure.HealthChecks;

/// <summary>The database answers, and (for readiness) start-up has migrated it.</summary>
public sealed class DatabaseHealthCheck(ApplicationDbContext db, DatabaseReadiness readiness) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("disconnected");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("disconnected", ex);
        }

        return readiness.IsInitialised
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("migrating");
    }
}
