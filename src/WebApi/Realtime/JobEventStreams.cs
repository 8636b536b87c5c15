using System.Globalization;
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

/// <summary>
/// Live streams that start with the current state, so a client that connects late misses nothing. Every event has an
/// id (<see cref="JobEvent.Id"/>: the job's change time in microseconds); a client reconnecting with Last-Event-ID gets
/// what changed since that id from the database, so it resumes on any instance.
/// </summary>
public static class JobEventStreams
{
    /// <summary>
    /// How far before a reconnecting listener's last id the user stream looks for changes. Ids of different jobs are
    /// taken before their changes are saved and published, so one job's event can follow another's with a later id;
    /// looking back this far sends such a change again rather than losing it.
    /// </summary>
    public static readonly TimeSpan UserResumeOverlap = TimeSpan.FromSeconds(10);

    /// <summary>The Last-Event-ID a client sent, or null when there is none or it is not one of ours.</summary>
    public static long? ParseLastEventId(string? lastEventId) =>
        long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= JobEvent.MaxId ? id : null;

    /// <summary>
    /// Whether a listener reconnecting with <paramref name="lastEventId"/> has already seen the job's final event:
    /// then there is nothing left to send, and 204 tells EventSource to stop reconnecting.
    /// </summary>
    public static bool HasSeenTheEnd(JobEvent current, long? lastEventId) => current.IsFinal && current.Id == lastEventId;

    /// <summary>
    /// One job: its current state (unless the listener's <paramref name="lastEventId"/> shows it has it), then its events,
    /// ending after it finishes. <paramref name="live"/> must have been opened before <paramref name="current"/> was
    /// read, so no event in between is lost; one the current state already holds (its id is not newer) is skipped.
    /// </summary>
    public static async IAsyncEnumerable<SseItem<JobEventMessage>> ForJobAsync(
        IJobEventSubscription live, JobEvent current, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = lastEventId ?? -1;
        // A final state is sent whatever the id: a cancel can be saved with an earlier time than a progress event
        // sent just before it, and the listener must still hear that the job ended.
        if (current.IsFinal || current.Id > seen)
        {
            yield return Item(current);
            seen = Math.Max(seen, current.Id);
        }

        if (current.IsFinal)
        {
            yield break;
        }

        await foreach (var jobEvent in live.ReadAllAsync(cancellationToken))
        {
            if (!jobEvent.IsFinal && jobEvent.Id <= seen)
            {
                continue;
            }

            yield return Item(jobEvent);
            seen = Math.Max(seen, jobEvent.Id);
            if (jobEvent.IsFinal)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// All of a user's jobs: first the jobs a listener has not seen (the active ones, or after a reconnect those that
    /// changed since), then every event as it comes (same order of opening).
    /// </summary>
    public static async IAsyncEnumerable<SseItem<JobEventMessage>> ForUserAsync(
        IJobEventSubscription live, IReadOnlyList<JobEvent> first, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var current in first)
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

    private static SseItem<JobEventMessage> Item(JobEvent e) =>
        new(JobEventMessage.From(e), e.Type) { EventId = e.Id.ToString(CultureInfo.InvariantCulture) };
}
