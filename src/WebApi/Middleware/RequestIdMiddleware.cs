using System.Text.RegularExpressions;

namespace CleanBackend.WebApi.Middleware;

/// <summary>
/// Gives every request an id (a well-formed incoming X-Request-Id is kept), returns it in the response, makes it the
/// trace id of problem details and puts it on every log line of the request, and logs the line as the request comes
/// in. Serilog's request logging, around this, writes the line as it goes out. Only the method and path are logged:
/// query strings and bodies can carry tokens and passwords.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";

    /// <summary>The status logged for a request whose client went away before any answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

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
        LogIncoming(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Connection.RemoteIpAddress?.ToString());
        try
        {
            await next(context);
        }
        finally
        {
            // Nothing will be sent, so the status is only what the outgoing line reports.
            if (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                context.Response.StatusCode = ClientClosedRequest;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex ValidRequestId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Incoming {Method} {Path} from {Ip}")]
    private static partial void LogIncoming(ILogger logger, string method, string path, string? ip);

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
