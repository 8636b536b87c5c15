using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// The Polly pipeline around every try of a call to the model server: retry (outermost), then the circuit breaker,
/// then the per-try timeout, so each timed-out try counts as one failure for the breaker and the retry. It is a
/// singleton: the breaker must see every call to the server, whichever job or handler instance makes it.
/// </summary>
internal sealed partial class ModelServerResilience
{
    /// <summary>The per-try timeout of one call when it is not <see cref="ModelServerSettings.RequestTimeout"/>.</summary>
    internal static readonly ResiliencePropertyKey<TimeSpan> TimeoutKey = new("ModelServer.Timeout");

    /// <summary>Set for calls that must not be retried (health probes, the best-effort cancel).</summary>
    internal static readonly ResiliencePropertyKey<bool> SingleTryKey = new("ModelServer.SingleTry");

    /// <summary>"GET v1/generations/{id}", for the log.</summary>
    internal static readonly ResiliencePropertyKey<string> OperationKey = new("ModelServer.Operation");

    // Polly accepts breaker durations from 0.5 s to 1 day.
    private static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBreakerDuration = TimeSpan.FromDays(1);

    // Polly's breaker counts failures in a time window, not in a row: a long window with a failure ratio of 1 comes
    // closest to "BreakerFailures in a row" (any success in the window keeps it closed).
    private static readonly TimeSpan MinSamplingDuration = TimeSpan.FromSeconds(30);

    // Exponential backoff from a 1 s start would reach minutes by the 8th try; a longer pause helps nobody.
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly ILogger<ModelServerResilience> _logger;

    public ModelServerResilience(ModelServerSettings settings, TimeProvider time, ILogger<ModelServerResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _logger = logger;
        var maxDelay = settings.RetryDelay > MaxRetryDelay ? settings.RetryDelay : MaxRetryDelay;

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
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
                ShouldHandle = args => ValueTask.FromResult(!args.Context.Properties.GetValue(SingleTryKey, false) && IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome, maxDelay)),
                OnRetry = args =>
                {
                    LogRetry(_logger, Operation(args.Context), args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 1.0,
            MinimumThroughput = settings.BreakerFailures,
            SamplingDuration = Clamp(settings.BreakDuration > MinSamplingDuration ? settings.BreakDuration : MinSamplingDuration),
            BreakDuration = Clamp(settings.BreakDuration),
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LogBreakerOpened(_logger, settings.BreakerFailures, ModelServerErrors.Format(args.BreakDuration), Describe(args.Outcome));
                return default;
            },
            OnClosed = _ =>
            {
                LogBreakerClosed(_logger);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(TimeoutKey, settings.RequestTimeout)),
        });

        Pipeline = builder.Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

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

    private static string Operation(ResilienceContext context) => context.Properties.GetValue(OperationKey, "model server call");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model server call {Operation} failed on try {Attempt}: {Reason}; trying again in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, string reason, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "The model server failed {Failures} times in a row ({Reason}): calls to it are paused for {BreakDuration}")]
    private static partial void LogBreakerOpened(ILogger logger, int failures, string breakDuration, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The model server answers again: calls to it resume")]
    private static partial void LogBreakerClosed(ILogger logger);
}
