using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;
using CleanBackend.WebApi.Realtime;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>The live streams' order of work: listen, read the current state, then stream.</summary>
public sealed class JobEventStreamsTests
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid JobId = Guid.NewGuid();
    private static readonly DateTime At = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ForJob_WhenTheJobFinishesBetweenListeningAndSending_EndsWithItsCompletion()
    {
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);
        var readWhileRunning = Event(JobEventTypes.Progress, JobStatus.Running, 60);
        bus.Publish(Event(JobEventTypes.Completed, JobStatus.Completed, 100));

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, readWhileRunning, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Progress, 60), (JobEventTypes.Completed, 100)]);
    }

    [Fact]
    public async Task ForJob_OfAFinishedJob_SendsItsStateAndEnds()
    {
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, Event(JobEventTypes.Failed, JobStatus.Failed, 30), CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Failed, 30)]);
    }

    [Fact]
    public async Task ForUser_SendsTheActiveJobsFirst_ThenWhatHappenedSinceListening()
    {
        var bus = new InMemoryJobEventBus();
        var live = bus.Subscribe(Owner, null);
        bus.Publish(Event(JobEventTypes.Started, JobStatus.Running, 0));
        live.Dispose();

        var sent = await ReadAsync(JobEventStreams.ForUserAsync(live, [Event(JobEventTypes.Queued, JobStatus.Queued, 0)], CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Queued, 0), (JobEventTypes.Started, 0)]);
    }

    private static JobEvent Event(string type, JobStatus status, int progress) => new(type, JobId, Owner, status, progress, null, At);

    private static async Task<List<(string? Type, int Progress)>> ReadAsync(IAsyncEnumerable<System.Net.ServerSentEvents.SseItem<JobEventMessage>> stream)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var items = new List<(string? Type, int Progress)>();
        await foreach (var item in stream.WithCancellation(patience.Token))
        {
            items.Add((item.EventType, item.Data.Progress));
        }

        return items;
    }
}
