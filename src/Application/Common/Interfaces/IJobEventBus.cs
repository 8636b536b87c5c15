using System.Text.Json.Serialization;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Live job events for the users who own the jobs (Server-Sent Events and the SignalR hub listen here).</summary>
public interface IJobEventBus
{
    void Publish(JobEvent jobEvent);

    /// <summary>
    /// Starts keeping the user's events (of one job when <paramref name="jobId"/> is given) at once, before anything
    /// is read: a caller that subscribes and then reads the current state misses no event in between.
    /// </summary>
    IJobEventSubscription Subscribe(Guid userId, Guid? jobId);

    /// <summary>Every user's events: for the service's own listeners (workers, the SignalR relay), never for a client.</summary>
    IAsyncEnumerable<JobEvent> SubscribeAllAsync(CancellationToken cancellationToken);
}

/// <summary>One listener's events, kept from the moment it subscribed until it is disposed.</summary>
public interface IJobEventSubscription : IDisposable
{
    /// <summary>The events kept so far, then each one as it happens, until canceled.</summary>
    IAsyncEnumerable<JobEvent> ReadAllAsync(CancellationToken cancellationToken);
}

/// <param name="Type">queued, started, progress, completed, failed or canceled.</param>
/// <param name="JobId">The job.</param>
/// <param name="UserId">Its owner.</param>
/// <param name="Status">The job's status after the event.</param>
/// <param name="Progress">0 to 100.</param>
/// <param name="Error">Why it failed, for failed events.</param>
/// <param name="At">When it happened: for a change saved on the job, the job's <see cref="GenerationJob.ChangedAt"/>.</param>
public sealed record JobEvent(string Type, Guid JobId, Guid UserId, JobStatus Status, int Progress, string? Error, DateTime At)
{
    /// <summary>
    /// The event's id on a stream: <see cref="At"/> in microseconds since 1970 (the precision every database keeps),
    /// so a reconnecting listener's last id can be compared with a job's stored change time.
    /// </summary>
    [JsonIgnore]
    public long Id => IdOf(At);

    [JsonIgnore]
    public bool IsFinal => Type is JobEventTypes.Completed or JobEventTypes.Failed or JobEventTypes.Canceled;

    /// <summary>The job as it is now, with the time of its latest change.</summary>
    public static JobEvent Of(GenerationJob job, string type) =>
        new(type, job.Id, job.UserId, job.Status, job.Progress, job.Error, job.ChangedAt);

    /// <summary>The job's state as the event that led to it: what a stream sends a listener that has not seen it.</summary>
    public static JobEvent Current(GenerationJob job) => Of(job, JobEventTypes.ForState(job.Status));

    public static readonly long MaxId = IdOf(DateTime.MaxValue);

    public static long IdOf(DateTime at) => (at.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The time an id (0 to <see cref="MaxId"/>) stands for.</summary>
    public static DateTime TimeOf(long id) =>
        DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(id * TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
}

public static class JobEventTypes
{
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    /// <summary>The type of the event a job in <paramref name="status"/> was last the subject of.</summary>
    public static string ForState(JobStatus status) => status switch
    {
        JobStatus.Queued => Queued,
        JobStatus.Completed => Completed,
        JobStatus.Failed => Failed,
        JobStatus.Canceled => Canceled,
        _ => Progress,
    };
}
