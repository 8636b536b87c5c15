using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.WebApi.Controllers;

/// <summary>Probes for load balancers and orchestrators: whole health, liveness and readiness.</summary>
[ApiController]
[AllowAnonymous]
[Route("health")]
[Tags("Health")]
public sealed class HealthController(HealthCheckService health, TimeProvider clock, ServiceStartTime started) : ControllerBase
{
    private static readonly string Version =
        typeof(HealthController).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Every dependency's state; 503 when the service cannot serve requests.</summary>
    [HttpGet(Name = "GetHealth")]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ActionResult<HealthResponse>> Get(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        return Answer(report, report.Status.ToString().ToLowerInvariant());
    }

    /// <summary>The process is up.</summary>
    [HttpGet("live", Name = "GetLiveness")]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    public ActionResult<HealthResponse> Live() => Ok(Response("alive", new Dictionary<string, string>()));

    /// <summary>The database is reachable and migrated; 503 until then.</summary>
    [HttpGet("ready", Name = "GetReadiness")]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ActionResult<HealthResponse>> Ready(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(CleanBackend.Infrastructure.DependencyInjection.ReadyTag), cancellationToken);
        return Answer(report, report.Status == HealthStatus.Unhealthy ? "not ready" : "ready");
    }

    private ObjectResult Answer(HealthReport report, string status)
    {
        var dependencies = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString().ToLowerInvariant());
        return StatusCode(
            report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK,
            Response(status, dependencies));
    }

    private new HealthResponse Response(string status, IReadOnlyDictionary<string, string> dependencies)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new HealthResponse(status, Math.Round((now - started.At).TotalSeconds, 1), now, Version, dependencies);
    }
}

/// <param name="Status">healthy, degraded or unhealthy (alive, ready or not ready for the probes).</param>
/// <param name="Uptime">Seconds since the service started.</param>
/// <param name="Timestamp">When the answer was made (UTC).</param>
/// <param name="Version">The service's version.</param>
/// <param name="Dependencies">Each dependency's state, e.g. <c>database: connected</c>.</param>
public sealed record HealthResponse(string Status, double Uptime, DateTime Timestamp, string Version, IReadOnlyDictionary<string, string> Dependencies);

/// <summary>When this process started serving, for the uptime in health answers.</summary>
public sealed class ServiceStartTime(TimeProvider clock)
{
    public DateTime At { get; } = clock.GetUtcNow().UtcDateTime;
}
