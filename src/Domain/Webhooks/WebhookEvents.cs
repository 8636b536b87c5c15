namespace CleanBackend.Domain.Webhooks;

/// <summary>The event types a delivery can carry.</summary>
public static class WebhookEvents
{
    public const string JobCompleted = "job.completed";
    public const string JobFailed = "job.failed";
    public const string JobCanceled = "job.canceled";

    /// <summary>Sent only by the test action; no webhook subscribes to it.</summary>
    public const string Ping = "ping";

    /// <summary>The events a webhook can subscribe to.</summary>
    public static readonly IReadOnlyList<string> Subscribable = [JobCompleted, JobFailed, JobCanceled];

    public static bool IsSubscribable(string? type) => type is not null && Subscribable.Contains(type, StringComparer.Ordinal);
}
