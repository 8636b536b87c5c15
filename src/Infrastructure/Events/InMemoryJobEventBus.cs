using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CleanBackend.Infrastructure.Events;

/// <summary>
/// Job events for one service instance: each subscriber has a bounded queue of its own, so a slow client loses
/// its oldest progress events instead of holding up the publisher or anyone else.
/// </summary>
public sealed class InMemoryJobEventBus : IJobEventBus
{
    private const int QueueLength = 256;

    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();

    public void Publish(JobEvent jobEvent)
    {
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.Wants(jobEvent))
            {
                subscription.Queue.Writer.TryWrite(jobEvent);
            }
        }
    }

    public IAsyncEnumerable<JobEvent> SubscribeAsync(Guid userId, Guid? jobId, CancellationToken cancellationToken) =>
        ReadAsync(new Subscription(userId, jobId), cancellationToken);

    public IAsyncEnumerable<JobEvent> SubscribeAllAsync(CancellationToken cancellationToken) =>
        ReadAsync(new Subscription(null, null), cancellationToken);

    /// <summary>Open subscriptions, for health and metrics.</summary>
    public int SubscriberCount => _subscriptions.Count;

    private async IAsyncEnumerable<JobEvent> ReadAsync(Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        _subscriptions[id] = subscription;
        try
        {
            await foreach (var jobEvent in subscription.Queue.Reader.ReadAllAsync(cancellationToken))
            {
                yield return jobEvent;
            }
        }
        finally
        {
            _subscriptions.TryRemove(id, out _);
        }
    }

    private sealed class Subscription(Guid? userId, Guid? jobId)
    {
        public Channel<JobEvent> Queue { get; } = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(QueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        public bool Wants(JobEvent jobEvent) =>
            (userId is null || jobEvent.UserId == userId) && (jobId is null || jobEvent.JobId == jobId);
    }
}
