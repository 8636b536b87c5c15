using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;

namespace CleanBackend.Infrastructure.IntegrationTests.Events;

public sealed class InMemoryJobEventBusTests
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid JobId = Guid.NewGuid();

    [Fact]
    public async Task Subscribe_KeepsEventsPublishedBeforeReadingStarts()
    {
        var bus = new InMemoryJobEventBus();
        using var subscription = bus.Subscribe(Owner, JobId);

        bus.Publish(Event(JobEventTypes.Progress, JobStatus.Running, 50));
        bus.Publish(Event(JobEventTypes.Completed, JobStatus.Completed, 100));
        subscription.Dispose();

        var received = await ReadAllAsync(subscription);
        received.Select(e => (e.Type, e.Progress)).ShouldBe([(JobEventTypes.Progress, 50), (JobEventTypes.Completed, 100)]);
    }

    [Fact]
    public async Task Subscribe_ToOneJob_ReceivesNeitherOtherJobsNorOtherUsers()
    {
        var bus = new InMemoryJobEventBus();
        using var subscription = bus.Subscribe(Owner, JobId);

        bus.Publish(Event(JobEventTypes.Progress, JobStatus.Running, 10) with { JobId = Guid.NewGuid() });
        bus.Publish(Event(JobEventTypes.Progress, JobStatus.Running, 20) with { UserId = Guid.NewGuid() });
        bus.Publish(Event(JobEventTypes.Progress, JobStatus.Running, 30));
        subscription.Dispose();

        (await ReadAllAsync(subscription)).Select(e => e.Progress).ShouldBe([30]);
    }

    [Fact]
    public void Dispose_RemovesTheSubscription()
    {
        var bus = new InMemoryJobEventBus();
        var subscription = bus.Subscribe(Owner, null);
        bus.SubscriberCount.ShouldBe(1);

        subscription.Dispose();

        bus.SubscriberCount.ShouldBe(0);
    }

    private static JobEvent Event(string type, JobStatus status, int progress) =>
        new(type, JobId, Owner, status, progress, null, new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc));

    private static async Task<List<JobEvent>> ReadAllAsync(IJobEventSubscription subscription)
    {
        var events = new List<JobEvent>();
        await foreach (var jobEvent in subscription.ReadAllAsync(CancellationToken.None))
        {
            events.Add(jobEvent);
        }

        return events;
    }
}
