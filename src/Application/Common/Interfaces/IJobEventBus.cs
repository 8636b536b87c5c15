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
/// <param name="At">When it happened.</param>
public sealed record JobEvent(string Type, Guid JobId, Guid UserId, JobStatus Status, int Progress, string? Error, DateTime At)
{
    public static JobEvent Of(GenerationJob job, string type, DateTime at) =>
        new(type, job.Id, job.UserId, job.Status, job.Progress, job.Error, at);
}

public static class JobEventTypes
{
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static string ForFinished(JobStatus status) => status switch
    {
        JobStatus.Completed => Completed,
        JobStatus.Failed => Failed,
        JobStatus.Canceled => Canceled,
        _ => Progress,
    };
}
