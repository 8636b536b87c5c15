using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanBackend.Application.Common.Behaviours;

/// <summary>Warns about use cases slower than the configured threshold.</summary>
public sealed partial class PerformanceBehaviour<TRequest, TResponse>(
    ILogger<PerformanceBehaviour<TRequest, TResponse>> logger,
    IOptions<PerformanceOptions> options,
    IUser user)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await next();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed.TotalMilliseconds > options.Value.SlowRequestThresholdMs)
        {
            LogSlowRequest(logger, typeof(TRequest).Name, (long)elapsed.TotalMilliseconds, user.Id);
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow request: {RequestName} took {ElapsedMs} ms for user {UserId}")]
    private static partial void LogSlowRequest(ILogger logger, string requestName, long elapsedMs, Guid? userId);
}

public sealed class PerformanceOptions
{
    public const string SectionName = "Performance";

    /// <summary>A use case slower than this is logged as a warning.</summary>
    public int SlowRequestThresholdMs { get; set; } = 500;
}
