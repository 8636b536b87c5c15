using CleanBackend.Infrastructure.Redis;

namespace CleanBackend.Infrastructure.Events;

/// <summary>
/// Job events shared by every instance through a Redis channel. An event is delivered to this instance's listeners
/// at once, as in <see cref="InMemoryJobEventBus"/>, and published for the others, which deliver it to theirs; while
/// Redis is down, events stay on the instance that raised them.
/// </summary>
public sealed class RedisJobEventBus : IJobEventBus
{
    internal const string ChannelName = "job-events";

    private readonly InMemoryJobEventBus _local;
    private readonly RedisConnection _redis;

    public RedisJobEventBus(InMemoryJobEventBus local, RedisConnection redis)
    {
        _local = local;
        _redis = redis;
        redis.SubscribeToOthers<JobEvent>(ChannelName, local.Publish);
    }

    public void Publish(JobEvent jobEvent)
    {
        _local.Publish(jobEvent);
        _redis.TryPublishToOthers(ChannelName, jobEvent);
    }

    public IJobEventSubscription Subscribe(Guid userId, Guid? jobId) => _local.Subscribe(userId, jobId);

    public IAsyncEnumerable<JobEvent> SubscribeAllAsync(CancellationToken cancellationToken) => _local.SubscribeAllAsync(cancellationToken);
}
