using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.Infrastructure.HealthChecks;

/// <summary>The model server answers; without it jobs wait or fail, but the rest of the service works.</summary>
public sealed class ModelServerHealthCheck(IModelServer modelServer) : IHealthCheck
{
    public const string Name = "modelServer";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await modelServer.IsHealthyAsync(cancellationToken)
                ? HealthCheckResult.Healthy(modelServer.Name == "built-in" ? "built-in" : "reachable")
                : HealthCheckResult.Degraded("unreachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("unreachable", ex);
        }
    }
}
