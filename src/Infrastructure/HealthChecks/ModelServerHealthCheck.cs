using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.Infrastructure.HealthChecks;

/// <summary>
/// The model server answers; without it jobs wait or fail, but the rest of the service works, so a slow or failing
/// model server makes the service degraded, never unhealthy, and this check gives up after <see cref="Budget"/>: a
/// load balancer's probe of /health must not time out because of it.
/// </summary>
public sealed class ModelServerHealthCheck(IModelServer modelServer) : IHealthCheck
{
    public const string Name = "modelServer";

    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(900);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var capped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        capped.CancelAfter(Budget);
        try
        {
            return await modelServer.IsHealthyAsync(capped.Token)
                ? HealthCheckResult.Healthy(modelServer.Name == "built-in" ? "built-in" : "reachable")
                : HealthCheckResult.Degraded("unreachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("unreachable", ex);
        }
    }
}
