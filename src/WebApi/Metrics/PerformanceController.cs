using CleanBackend.Application.Common.Behaviours;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.WebApi.Metrics;

/// <summary>Request latency for administrators; an operational view read straight from the in-memory recorder, like health.</summary>
[Route("api/admin/performance")]
[Authorize(Roles = Roles.Admin)]
[Tags("Admin")]
// Declaring 403 here hides the base class's declarations from the OpenAPI document, so they are repeated.
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class PerformanceController(RequestPerformanceRecorder recorder, IOptions<PerformanceOptions> options) : Controllers.ApiControllerBase
{
    /// <summary>Per-route latency percentiles, request and error counts over the last 15 minutes, and the slowest requests.</summary>
    [HttpGet(Name = "AdminPerformance")]
    [ProducesResponseType<PerformanceReport>(StatusCodes.Status200OK)]
    public ActionResult<PerformanceReport> Get() => Ok(recorder.Report(options.Value.SlowRequestThresholdMs));
}
