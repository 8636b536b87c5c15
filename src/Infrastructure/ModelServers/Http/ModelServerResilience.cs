using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// The resilience pipeline of the model server's HttpClient (Microsoft.Extensions.Http.Resilience): retry
/// (outermost), then the circuit breaker, then the per-try timeout, so each timed-out try counts as one failure for the
/// breaker and the retry. The HttpClient factory keeps one pipeline for the named client, so the breaker sees every
/// call to the server, whichever job makes it. Health probes use a client of their own (see
/// RemoteModelServerRegistration) and never reach this breaker.
/// </summary>
internal static partial class ModelServerResilience
{
    /// <summary>The name of the pipeline, in the resilience telemetry.</summary>
    public const string PipelineName = "model-server";

    // Polly accepts breaker durations from 0.5 s to 1 day.
    private static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBreakerDuration = TimeSpan.FromDays(1);

    // Polly's breaker counts failures in a time window, not in a row: a long window with a failure ratio of 1 comes
    // closest to "BreakerFailures in a row" (any success in the window keeps it closed).
    private static readonly TimeSpan MinSamplingDuration = TimeSpan.FromSeconds(30);

    // Exponential backoff from a 1 s start would reach minutes by the 8th try; a longer pause helps nobody.
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The break the breaker takes once open, as Polly will apply it.</summary>
    public static TimeSpan BreakDurationOf(ModelServerSettings settings) => Clamp(settings.BreakDuration);

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ModelServerSettings settings, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.TimeProvider = time;
        var maxDelay = settings.RetryDelay > MaxRetryDelay ? settings.RetryDelay : MaxRetryDelay;
        if (settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
                MaxDelay = maxDelay,

                // Polly itself never retries once the caller's token is canceled.
                ShouldHandle = args => ValueTask.FromResult(!IsSingleTry(args.Context) && IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome, maxDelay)),
                OnRetry = args =>
                {
                    LogRetry(logger, Operation(args.Context), args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 1.0,
            MinimumThroughput = settings.BreakerFailures,
            SamplingDuration = Clamp(settings.BreakDuration > MinSamplingDuration ? settings.BreakDuration : MinSamplingDuration),
            BreakDuration = BreakDurationOf(settings),
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LogBreakerOpened(logger, settings.BreakerFailures, ModelServerErrors.Format(args.BreakDuration), Describe(args.Outcome));
                return default;
            },
            OnClosed = _ =>
            {
                LogBreakerClosed(logger);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(
                args.Context.GetRequestMessage() is { } request && request.Options.TryGetValue(ModelServerRequest.Timeout, out var timeout)
                    ? timeout
                    : settings.RequestTimeout),
        });
    }

    /// <summary>Timeouts, connection failures, 408, 429 and 5xx are worth another try; nothing else is, least of all a caller's cancel.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } response && IsTransient(response.StatusCode),
        HttpRequestException or TimeoutRejectedException => true,
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>A short, log-safe account of a failed try.</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } response ? $"{(int)response.StatusCode} {response.ReasonPhrase}" : "no answer",
        TimeoutRejectedException timeout => $"no answer within {ModelServerErrors.Format(timeout.Timeout)}",
        { InnerException: { } inner } e => $"{e.Message} ({inner.Message})",
        var e => e.Message,
    };

    // A server that says when to come back (429, 503) is taken at its word, within reason.
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome, TimeSpan maxDelay)
    {
        var retryAfter = outcome.Result?.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d && d > TimeSpan.Zero ? (d < maxDelay ? d : maxDelay) : null;
    }

    private static TimeSpan Clamp(TimeSpan value) =>
        value < MinBreakerDuration ? MinBreakerDuration : value > MaxBreakerDuration ? MaxBreakerDuration : value;

    private static bool IsSingleTry(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(ModelServerRequest.SingleTry, out var single) && single;

    private static string Operation(ResilienceContext context) =>
        context.GetRequestMessage() is { } request ? $"{request.Method} {request.RequestUri?.AbsolutePath}" : "model server call";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model server call {Operation} failed on try {Attempt}: {Reason}; trying again in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, string reason, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "The model server failed {Failures} times in a row ({Reason}): calls to it are paused for {BreakDuration}")]
    private static partial void LogBreakerOpened(ILogger logger, int failures, string breakDuration, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The model server answers again: calls to it resume")]
    private static partial void LogBreakerClosed(ILogger logger);
}
