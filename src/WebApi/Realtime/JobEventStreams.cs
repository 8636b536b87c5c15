using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.WebApi.Realtime;

/// <summary>What a listener receives for each job event (Server-Sent Events data and SignalR messages).</summary>
/// <param name="Type">queued, started, progress, completed, failed or canceled.</param>
/// <param name="JobId">The job.</param>
/// <param name="Status">Its status after the event.</param>
/// <param name="Progress">0 to 100.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="At">When it happened.</param>
public sealed record JobEventMessage(string Type, Guid JobId, JobStatus Status, int Progress, string? Error, DateTime At)
{
    public static JobEventMessage From(JobEvent e) => new(e.Type, e.JobId, e.Status, e.Progress, e.Error, e.At);
}

/// <summary>Live streams that start with the current state, so a client that connects late misses nothing.</summary>
public static class JobEventStreams
{
    /// <summary>
    /// One job: its current state, then its events, ending after it finishes. <paramref name="live"/> must have been
    /// opened before <paramref name="current"/> was read, so an event in between is sent twice rather than lost.
    /// </summary>
    public static async IAsyncEnumerable<SseItem<JobEventMessage>> ForJobAsync(
        IJobEventSubscription live, JobEvent current, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Item(current);
        if (IsFinal(current.Type))
        {
            yield break;
        }

        await foreach (var jobEvent in live.ReadAllAsync(cancellationToken))
        {
            yield return Item(jobEvent);
            if (IsFinal(jobEvent.Type))
            {
                yield break;
            }
        }
    }

    /// <summary>All of a user's jobs: the active ones' current state, then every event as it comes (same order of opening).</summary>
    public static async IAsyncEnumerable<SseItem<JobEventMessage>> ForUserAsync(
        IJobEventSubscription live, IReadOnlyList<JobEvent> active, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var current in active)
        {
            yield return Item(current);
        }

        await foreach (var jobEvent in live.ReadAllAsync(cancellationToken))
        {
            yield return Item(jobEvent);
        }
    }

    /// <summary>
    /// The stream as an HTTP answer whose headers go out at once. The framework sends them with the first event,
    /// so a listener with no active job would otherwise wait, and EventSource would not report the stream open.
    /// </summary>
    public static IResult ToEventStream(this IAsyncEnumerable<SseItem<JobEventMessage>> items, HttpResponse response) =>
        TypedResults.ServerSentEvents(HeadersFirst(items, response));

    private static async IAsyncEnumerable<SseItem<JobEventMessage>> HeadersFirst(
        IAsyncEnumerable<SseItem<JobEventMessage>> items, HttpResponse response, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Enumeration starts once the result has set the event-stream headers; flushing now sends them.
        await response.Body.FlushAsync(cancellationToken);
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            yield return item;
        }
    }

    private static bool IsFinal(string type) => type is JobEventTypes.Completed or JobEventTypes.Failed or JobEventTypes.Canceled;

    private static SseItem<JobEventMessage> Item(JobEvent e) => new(JobEventMessage.From(e), e.Type);
}
