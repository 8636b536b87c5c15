using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Redis;

namespace CleanBackend.Infrastructure.IntegrationTests.Redis;

/// <summary>Two service instances' event buses on one real Redis server.</summary>
public sealed class RedisJobEventBusTests
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [RedisFact]
    public async Task Publish_OnOneInstance_ReachesTheOtherInstancesSubscribers_InOrder()
    {
        using var instances = new TwoInstances();
        var (a, b) = (instances.A, instances.B);
        var jobId = Guid.NewGuid();
        using var listener = b.Subscribe(Owner, jobId);

        for (var progress = 0; progress <= 90; progress += 10)
        {
            a.Publish(Event(jobId, JobEventTypes.Progress, JobStatus.Running, progress));
        }

        a.Publish(Event(jobId, JobEventTypes.Completed, JobStatus.Completed, 100));

        var received = await ReadUntilAsync(listener, JobEventTypes.Completed);
        received.Select(e => e.Progress).ShouldBe([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
        received[^1].ShouldBe(Event(jobId, JobEventTypes.Completed, JobStatus.Completed, 100));
    }

    [RedisFact]
    public async Task Publish_ReachesTheInstancesOwnSubscribersOnce()
    {
        using var instances = new TwoInstances();
        var (a, b) = (instances.A, instances.B);
        var jobId = Guid.NewGuid();
        using var local = a.Subscribe(Owner, jobId);
        using var remote = b.Subscribe(Owner, jobId);

        a.Publish(Event(jobId, JobEventTypes.Completed, JobStatus.Completed, 100));

        // Once the other instance has it, the message has been through Redis, and an echo would have come back too.
        (await ReadUntilAsync(remote, JobEventTypes.Completed)).Count.ShouldBe(1);
        local.Dispose();
        (await ReadUntilAsync(local, JobEventTypes.Completed)).Count.ShouldBe(1);
    }

    [RedisFact]
    public async Task Publish_UnderAnotherKeyPrefix_IsNotHeard()
    {
        var prefix = TestRedis.NewKeyPrefix();
        using var otherDeployment = TestRedis.Connect(TestRedis.NewKeyPrefix());
        using var redisB = TestRedis.Connect(prefix);
        using var redisC = TestRedis.Connect(prefix);
        var a = new RedisJobEventBus(new InMemoryJobEventBus(), otherDeployment);
        var b = new RedisJobEventBus(new InMemoryJobEventBus(), redisB);
        var c = new RedisJobEventBus(new InMemoryJobEventBus(), redisC);
        var jobId = Guid.NewGuid();
        using var listener = b.Subscribe(Owner, jobId);

        a.Publish(Event(jobId, JobEventTypes.Completed, JobStatus.Completed, 100));
        // The server has handled A's publish before C's: had it reached B, it would arrive first.
        await otherDeployment.Multiplexer.GetDatabase().PingAsync();
        c.Publish(Event(jobId, JobEventTypes.Progress, JobStatus.Running, 50));

        (await ReadUntilAsync(listener, JobEventTypes.Progress)).Select(e => (e.Type, e.Progress)).ShouldBe([(JobEventTypes.Progress, 50)]);
    }

    [Fact]
    public async Task Publish_WithRedisUnreachable_StillReachesThisInstancesSubscribers()
    {
        using var redis = TestRedis.Connect(TestRedis.NewKeyPrefix(), TestRedis.UnreachableUrl);
        var bus = new RedisJobEventBus(new InMemoryJobEventBus(), redis);
        var jobId = Guid.NewGuid();
        using var listener = bus.Subscribe(Owner, jobId);

        redis.IsConnected.ShouldBeFalse();
        bus.Publish(Event(jobId, JobEventTypes.Completed, JobStatus.Completed, 100));

        (await ReadUntilAsync(listener, JobEventTypes.Completed)).Select(e => e.Type).ShouldBe([JobEventTypes.Completed]);
    }

    /// <summary>Two instances' buses under one key prefix of their own.</summary>
    private sealed class TwoInstances : IDisposable
    {
        private readonly RedisConnection _redisA;
        private readonly RedisConnection _redisB;

        public TwoInstances()
        {
            var prefix = TestRedis.NewKeyPrefix();
            _redisA = TestRedis.Connect(prefix);
            _redisB = TestRedis.Connect(prefix);
            A = new RedisJobEventBus(new InMemoryJobEventBus(), _redisA);
            B = new RedisJobEventBus(new InMemoryJobEventBus(), _redisB);
        }

        public RedisJobEventBus A { get; }

        public RedisJobEventBus B { get; }

        public void Dispose()
        {
            _redisA.Dispose();
            _redisB.Dispose();
        }
    }

    private static JobEvent Event(Guid jobId, string type, JobStatus status, int progress) =>
        new(type, jobId, Owner, status, progress, null, new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc));

    /// <summary>The events up to the first one of <paramref name="lastType"/> or of a final type, or all of them once the subscription is disposed.</summary>
    private static async Task<List<JobEvent>> ReadUntilAsync(IJobEventSubscription subscription, string lastType)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var events = new List<JobEvent>();
        await foreach (var jobEvent in subscription.ReadAllAsync(timeout.Token))
        {
            events.Add(jobEvent);
            if (jobEvent.Type == lastType || jobEvent.Type == JobEventTypes.Completed)
            {
                break;
            }
        }

        return events;
    }
}
