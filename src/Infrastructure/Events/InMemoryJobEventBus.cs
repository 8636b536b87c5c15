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

    public IJobEventSubscription Subscribe(Guid userId, Guid? jobId) => Add(new Subscription(this, userId, jobId));

    public async IAsyncEnumerable<JobEvent> SubscribeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = Add(new Subscription(this, null, null));
        await foreach (var jobEvent in subscription.ReadAllAsync(cancellationToken))
        {
            yield return jobEvent;
        }
    }

    /// <summary>Open subscriptions, for health and metrics.</summary>
    public int SubscriberCount => _subscriptions.Count;

    private Subscription Add(Subscription subscription)
    {
        _subscriptions[subscription.Id] = subscription;
        return subscription;
    }

    private sealed class Subscription(InMemoryJobEventBus bus, Guid? userId, Guid? jobId) : IJobEventSubscription
    {
        public Guid Id { get; } = Guid.NewGuid();

        public Channel<JobEvent> Queue { get; } = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(QueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        public bool Wants(JobEvent jobEvent) =>
            (userId is null || jobEvent.UserId == userId) && (jobId is null || jobEvent.JobId == jobId);

        public IAsyncEnumerable<JobEvent> ReadAllAsync(CancellationToken cancellationToken) => Queue.Reader.ReadAllAsync(cancellationToken);

        public void Dispose()
        {
            bus._subscriptions.TryRemove(Id, out _);
            Queue.Writer.TryComplete();
        }
    }
}
