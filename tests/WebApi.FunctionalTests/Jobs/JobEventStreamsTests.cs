using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;
using CleanBackend.WebApi.Realtime;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>The live streams' order of work: listen, read the current state, then stream; and where a reconnect resumes.</summary>
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
        var readWhileRunning = Event(JobEventTypes.Progress, JobStatus.Running, 60, At);
        bus.Publish(Event(JobEventTypes.Completed, JobStatus.Completed, 100, At.AddSeconds(1)));

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, readWhileRunning, null, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Progress, 60, "1780315200000000"), (JobEventTypes.Completed, 100, "1780315201000000")]);
    }

    [Fact]
    public async Task ForJob_SkipsLiveEventsTheCurrentStateAlreadyHolds_ButNeverAnEnd()
    {
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);
        bus.Publish(Event(JobEventTypes.Started, JobStatus.Running, 0, At.AddSeconds(-1)));
        bus.Publish(Event(JobEventTypes.Progress, JobStatus.Running, 40, At));
        bus.Publish(Event(JobEventTypes.Progress, JobStatus.Running, 60, At.AddSeconds(1)));
        bus.Publish(Event(JobEventTypes.Canceled, JobStatus.Canceled, 60, At.AddMilliseconds(500)));

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, Event(JobEventTypes.Progress, JobStatus.Running, 40, At), null, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Progress, 40, "1780315200000000"), (JobEventTypes.Progress, 60, "1780315201000000"), (JobEventTypes.Canceled, 60, "1780315200500000")]);
    }

    [Fact]
    public async Task ForJob_OfAFinishedJob_SendsItsStateAndEnds()
    {
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, Event(JobEventTypes.Failed, JobStatus.Failed, 30, At), null, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Failed, 30, "1780315200000000")]);
    }

    [Fact]
    public async Task ForJob_ResumedAtItsCurrentState_SkipsIt_AndSendsWhatComesNext()
    {
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);
        var current = Event(JobEventTypes.Progress, JobStatus.Running, 40, At);
        bus.Publish(Event(JobEventTypes.Completed, JobStatus.Completed, 100, At.AddSeconds(1)));

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, current, current.Id, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Completed, 100, "1780315201000000")]);
    }

    [Fact]
    public async Task ForJob_ResumedFromAnOlderEvent_SendsTheCurrentStateFirst()
    {
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);
        var current = Event(JobEventTypes.Progress, JobStatus.Running, 40, At);
        bus.Publish(Event(JobEventTypes.Canceled, JobStatus.Canceled, 40, At.AddSeconds(1)));

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, current, current.Id - 1, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Progress, 40, "1780315200000000"), (JobEventTypes.Canceled, 40, "1780315201000000")]);
    }

    [Fact]
    public async Task ForJob_ResumedPastAFinalStateSavedWithAnEarlierTime_StillSendsIt()
    {
        // A cancel saved just before a progress event went out has the smaller id; the listener has not seen it.
        var bus = new InMemoryJobEventBus();
        using var live = bus.Subscribe(Owner, JobId);
        var canceled = Event(JobEventTypes.Canceled, JobStatus.Canceled, 40, At);

        var sent = await ReadAsync(JobEventStreams.ForJobAsync(live, canceled, canceled.Id + 5, CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Canceled, 40, "1780315200000000")]);
    }

    [Fact]
    public void HasSeenTheEnd_OnlyForTheFinalEventsOwnId()
    {
        var completed = Event(JobEventTypes.Completed, JobStatus.Completed, 100, At);
        var running = Event(JobEventTypes.Progress, JobStatus.Running, 50, At);

        new[]
        {
            JobEventStreams.HasSeenTheEnd(completed, completed.Id),
            JobEventStreams.HasSeenTheEnd(completed, completed.Id - 1),
            JobEventStreams.HasSeenTheEnd(completed, null),
            JobEventStreams.HasSeenTheEnd(running, running.Id),
        }.ShouldBe([true, false, false, false]);
    }

    [Theory]
    [InlineData("1780315200000000", 1780315200000000L)]
    [InlineData("0", 0L)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("abc", null)]
    [InlineData("-5", null)]
    [InlineData(" 12", null)]
    [InlineData("1.5", null)]
    [InlineData("99999999999999999999", null)]
    [InlineData("9223372036854775807", null)]
    public void ParseLastEventId_AcceptsOnlyIdsThisServiceCouldHaveSent(string? header, long? expected) =>
        JobEventStreams.ParseLastEventId(header).ShouldBe(expected);

    [Fact]
    public void EventIds_AreMicrosecondsSince1970_AndTurnBackIntoTheirTime()
    {
        var at = At.AddTicks(1234567);

        var id = JobEvent.IdOf(at);

        id.ShouldBe(1780315200123456L);
        JobEvent.TimeOf(id).ShouldBe(At.AddTicks(1234560));
        JobEvent.TimeOf(id).Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Fact]
    public async Task ForUser_SendsTheActiveJobsFirst_ThenWhatHappenedSinceListening()
    {
        var bus = new InMemoryJobEventBus();
        var live = bus.Subscribe(Owner, null);
        bus.Publish(Event(JobEventTypes.Started, JobStatus.Running, 0, At.AddSeconds(1)));
        live.Dispose();

        var sent = await ReadAsync(JobEventStreams.ForUserAsync(live, [Event(JobEventTypes.Queued, JobStatus.Queued, 0, At)], CancellationToken.None));

        sent.ShouldBe([(JobEventTypes.Queued, 0, "1780315200000000"), (JobEventTypes.Started, 0, "1780315201000000")]);
    }

    private static JobEvent Event(string type, JobStatus status, int progress, DateTime at) => new(type, JobId, Owner, status, progress, null, at);

    private static async Task<List<(string? Type, int Progress, string? Id)>> ReadAsync(IAsyncEnumerable<System.Net.ServerSentEvents.SseItem<JobEventMessage>> stream)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var items = new List<(string? Type, int Progress, string? Id)>();
        await foreach (var item in stream.WithCancellation(patience.Token))
        {
            items.Add((item.EventType, item.Data.Progress, item.EventId));
        }

        return items;
    }
}
