using System.Threading.RateLimiting;
using CleanBackend.Infrastructure.Redis;
using RedisRateLimiting;
using StackExchange.Redis;

namespace CleanBackend.WebApi.Infrastructure.RateLimiting;

/// <summary>
/// A fixed window counted in Redis, so every instance draws on the same permits (one atomic script per request). While
/// Redis is unreachable the window is counted by this instance alone, so a Redis outage never fails a request.
/// </summary>
public sealed partial class SharedWindowRateLimiter : RateLimiter
{
    private readonly RedisConnection _redis;
    private readonly RedisFixedWindowRateLimiter<string> _shared;
    private readonly FixedWindowRateLimiter _local;
    private readonly ILogger _logger;

    public SharedWindowRateLimiter(RedisConnection redis, string key, WindowLimit limit, ILogger logger)
    {
        _redis = redis;
        _logger = logger;
        var window = TimeSpan.FromSeconds(limit.WindowSeconds);
        _shared = new RedisFixedWindowRateLimiter<string>(redis.KeyPrefix + key, new RedisFixedWindowRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => redis.Multiplexer,
            PermitLimit = limit.PermitLimit,
            Window = window,
        });
        _local = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = window, QueueLimit = 0 });
    }

    // The local window is kept while it counts anything, so a Redis outage is not a way to start afresh.
    public override TimeSpan? IdleDuration => _local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // Redis is only asked asynchronously: the middleware then calls AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        _redis.IsConnected ? NotYet.Instance : _local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (_redis.IsConnected)
        {
            try
            {
                return new SharedLease(await _shared.AcquireAsync(permitCount, cancellationToken));
            }
            catch (RedisException ex)
            {
                LogFallback(_logger, ex);
            }
        }

        return await _local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _shared.Dispose();
            _local.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit counted on this instance: Redis did not answer")]
    private static partial void LogFallback(ILogger logger, Exception exception);

    /// <summary>Not decided without a round trip to Redis.</summary>
    private sealed class NotYet : RateLimitLease
    {
        public static readonly NotYet Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>The Redis lease with its Retry-After as a TimeSpan, as the framework's own limiters give it.</summary>
    private sealed class SharedLease(RateLimitLease inner) : RateLimitLease
    {
        public override bool IsAcquired => inner.IsAcquired;

        public override IEnumerable<string> MetadataNames => [.. inner.MetadataNames, MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName != MetadataName.RetryAfter.Name)
            {
                return inner.TryGetMetadata(metadataName, out metadata);
            }

            // The library names its Retry-After differently and gives it in whole seconds.
            if (inner.TryGetMetadata(RateLimitMetadataName.RetryAfter.Name, out var seconds) && seconds is IConvertible value)
            {
                metadata = TimeSpan.FromSeconds(value.ToDouble(System.Globalization.CultureInfo.InvariantCulture));
                return true;
            }

            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
