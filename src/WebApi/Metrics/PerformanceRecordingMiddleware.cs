using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace CleanBackend.WebApi.Metrics;

/// <summary>
/// Times every request for the <see cref="RequestPerformanceRecorder"/>. It runs first in the pipeline (through
/// <see cref="StartupFilter"/>), so answers cut short by authorization, rate limits or errors are timed too. Only the
/// route template is kept, never the path or query string. Live streams (SSE, WebSockets) are left out: how long
/// they stay open is not latency.
/// </summary>
public sealed class PerformanceRecordingMiddleware(RequestDelegate next, RequestPerformanceRecorder recorder)
{
    public const string Unmatched = "(unmatched)";

    private static readonly HashSet<string> KnownMethods =
        new(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT"], StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (!context.WebSockets.IsWebSocketRequest
                && context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) != true)
            {
                var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
                recorder.Record(Method(context.Request.Method), Route(context), status, elapsed.TotalMilliseconds, context.TraceIdentifier);
            }
        }
    }

    /// <summary>The matched route's template; the exception handler clears the endpoint, but its feature keeps the original.</summary>
    private static string Route(HttpContext context)
    {
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        return endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route ?? Unmatched;
    }

    private static string Method(string method) => KnownMethods.TryGetValue(method, out var known) ? known : "_OTHER";

    /// <summary>Puts the middleware in front of the whole pipeline.</summary>
    public sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<PerformanceRecordingMiddleware>();
            next(app);
        };
    }
}
