using System.Text.Json;
using StackExchange.Redis;

namespace CleanBackend.Infrastructure.Redis;

/// <summary>
/// The one connection an instance keeps to the shared Redis server. It is made at start-up whether or not Redis
/// answers, and reconnects by itself; while it is down every caller falls back to this instance's own memory, and
/// <see cref="Restored"/> tells them when it is back, so they can drop what they may have missed.
/// </summary>
public sealed partial class RedisConnection : IDisposable
{
    private readonly ILogger<RedisConnection> _logger;
    private int _down;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        KeyPrefix = options.Value.KeyPrefix;
        var configuration = options.Value.ToConfiguration();
        Multiplexer = ConnectionMultiplexer.Connect(configuration);
        Multiplexer.ConnectionFailed += OnConnectionFailed;
        Multiplexer.ConnectionRestored += OnConnectionRestored;
        if (Multiplexer.IsConnected)
        {
            LogConnected(logger, Multiplexer.Configuration.Split(',')[0]);
        }
        else
        {
            _down = 1;
            LogUnreachable(logger, configuration.EndPoints.Count > 0 ? configuration.EndPoints[0].ToString() ?? "?" : "?");
        }
    }

    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>Tells this instance's own messages from other instances' on the shared channels.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public string KeyPrefix { get; }

    public bool IsConnected => Multiplexer.IsConnected;

    /// <summary>Raised when Redis answers again after an outage: anything published meanwhile was lost.</summary>
    public event Action? Restored;

    private RedisChannel Channel(string name) => RedisChannel.Literal(KeyPrefix + name);

    /// <summary>
    /// Hands <paramref name="handle"/> each message that other instances send on <paramref name="channel"/>, one at a
    /// time and in order. The subscription is kept while Redis is down and made again when it is back.
    /// </summary>
    public void SubscribeToOthers<T>(string channel, Action<T> handle)
    {
        try
        {
            var queue = Multiplexer.GetSubscriber().Subscribe(Channel(channel));
            queue.OnMessage(message =>
            {
                try
                {
                    if (JsonSerializer.Deserialize<Envelope<T>>((byte[])message.Message!) is { } envelope && envelope.Origin != InstanceId)
                    {
                        handle(envelope.Message);
                    }
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(_logger, ex, channel);
                }
            });
        }
        catch (RedisException ex)
        {
            // Not connected now: the client restores its subscriptions when it reconnects.
            LogSubscribeFailed(_logger, ex, channel);
        }
    }

    /// <summary>Sends <paramref name="message"/> to the other instances if Redis is up; false when it could not.</summary>
    public bool TryPublishToOthers<T>(string channel, T message)
    {
        if (!IsConnected)
        {
            return false;
        }

        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new Envelope<T>(InstanceId, message));
            Multiplexer.GetSubscriber().Publish(Channel(channel), payload, CommandFlags.FireAndForget);
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    /// <summary>Every instance hears its own messages too; the origin tells them apart.</summary>
    private sealed record Envelope<T>(Guid Origin, T Message);

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogLost(_logger, e.Exception, e.EndPoint?.ToString() ?? "?", e.FailureType);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Both the command and the subscription connections come back; act once, when the first one does.
        if (Multiplexer.IsConnected && Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogRestored(_logger, e.EndPoint?.ToString() ?? "?");
            Restored?.Invoke();
        }
    }

    public void Dispose() => Multiplexer.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connected ({Server}): events, revocations and rate limits are shared with the other instances")]
    private static partial void LogConnected(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Server} is unreachable: events stay on this instance, rate limits are counted here, and other instances learn of revocations within the token cache lifetime; reconnecting in the background")]
    private static partial void LogUnreachable(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection to {Server} lost ({FailureType}): events stay on this instance, rate limits are counted here, and other instances learn of revocations within the token cache lifetime; reconnecting in the background")]
    private static partial void LogLost(ILogger logger, Exception? exception, string server, ConnectionFailureType failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Server} is back: events, revocations and rate limits are shared again")]
    private static partial void LogRestored(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to the Redis channel {Channel} now; the subscription is made when Redis is back")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message on the Redis channel {Channel} could not be handled")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string channel);
}
