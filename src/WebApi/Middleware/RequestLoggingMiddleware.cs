using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CleanBackend.WebApi.Middleware;

/// <summary>
/// Gives every request an id (a well-formed incoming X-Request-Id is kept), returns it in the response,
/// makes it the trace id of problem details, and logs one line as the request comes in and one as it goes
/// out. Only the method and path are logged: query strings and bodies can carry tokens and passwords.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[HeaderName].ToString();
        if (!ValidRequestId().IsMatch(requestId))
        {
            requestId = Guid.CreateVersion7().ToString();
        }

        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });

        using var scope = logger.BeginScope(new RequestIdScope(requestId));
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        var ip = context.Connection.RemoteIpAddress?.ToString();
        LogIncoming(logger, method, path, ip);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            if (status >= 500)
            {
                LogFailedResponse(logger, method, path, status, elapsed);
            }
            else
            {
                LogResponse(logger, method, path, status, elapsed);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex ValidRequestId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Incoming {Method} {Path} from {Ip}")]
    private static partial void LogIncoming(ILogger logger, string method, string path, string? ip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Response {Method} {Path} - {StatusCode} ({DurationMs}ms)")]
    private static partial void LogResponse(ILogger logger, string method, string path, int statusCode, long durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Response {Method} {Path} - {StatusCode} ({DurationMs}ms)")]
    private static partial void LogFailedResponse(ILogger logger, string method, string path, int statusCode, long durationMs);

    /// <summary>The one property every line of a request carries, without a dictionary per request.</summary>
    private sealed class RequestIdScope(string requestId) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 1;

        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new("RequestId", requestId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{requestId}";
    }
}
