using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Webhooks;

/// <summary>
/// One event on its way to one webhook: made in the unit of work of the event itself (the outbox), then attempted by
/// one dispatcher at a time under a lease until the receiver answers 2xx or the retry schedule runs out. Its id is
/// the <c>Webhook-Id</c> of every attempt, and its body, rendered once, is what every attempt sends.
/// </summary>
public class WebhookDelivery : BaseEntity
{
    public const int EventTypeMaxLength = 50;
    public const int LeaseOwnerMaxLength = 100;

    private readonly List<WebhookDeliveryAttempt> _attempts = [];

    private WebhookDelivery()
    {
        EventType = string.Empty;
    }

    /// <param name="webhookId">The webhook it goes to.</param>
    /// <param name="eventType">One of <see cref="WebhookEvents"/>.</param>
    /// <param name="jobId">The job the event is about; null for a ping.</param>
    /// <param name="now">The time of the event: the first attempt is due at once.</param>
    public WebhookDelivery(Guid webhookId, string eventType, Guid? jobId, DateTime now)
    {
        WebhookId = Guard.NotEmpty(webhookId, nameof(webhookId));
        EventType = eventType is WebhookEvents.Ping || WebhookEvents.IsSubscribable(eventType)
            ? eventType
            : throw new ArgumentException($"'{eventType}' is not a webhook event.", nameof(eventType));
        if (jobId is null != (eventType == WebhookEvents.Ping))
        {
            throw new ArgumentException("A job event names its job; a ping names none.", nameof(jobId));
        }

        JobId = jobId;
        Status = WebhookDeliveryStatus.Pending;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid WebhookId { get; private set; }

    public string EventType { get; private set; }

    public Guid? JobId { get; private set; }

    /// <summary>The JSON sent, rendered before the first attempt; null until then.</summary>
    public string? Body { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }

    /// <summary>When the next attempt is due; null once the delivery is over.</summary>
    public DateTime? NextAttemptAt { get; private set; }

    /// <summary>Failed attempts since the delivery was (re)started: the position in the retry schedule.</summary>
    public int Retries { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresAt { get; private set; }

    /// <summary>Grows with every change; a change made against an older version is refused (two dispatchers, one delivery).</summary>
    public int Version { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public IReadOnlyList<WebhookDeliveryAttempt> Attempts => _attempts;

    public bool IsDue(DateTime now) =>
        Status == WebhookDeliveryStatus.Pending && NextAttemptAt <= now && (LeaseExpiresAt is null || LeaseExpiresAt <= now);

    /// <summary>Takes the delivery for one attempt; a lease that runs out (its dispatcher died) lets another take it.</summary>
    public void Claim(string dispatcherId, DateTime now, TimeSpan lease)
    {
        if (!IsDue(now))
        {
            throw new DomainException("Only a pending delivery that is due and not held can be claimed.");
        }

        if (lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), "A lease must last some time.");
        }

        LeaseOwner = Guard.NotBlank(dispatcherId, nameof(dispatcherId), LeaseOwnerMaxLength);
        LeaseExpiresAt = now + lease;
        Version++;
    }

    /// <summary>Keeps the body of the first attempt for every later one.</summary>
    public void SetBody(string body)
    {
        if (Body is not null)
        {
            throw new DomainException("A delivery's body is rendered once.");
        }

        Body = Guard.NotBlank(body, nameof(body), int.MaxValue);
        Version++;
    }

    /// <summary>
    /// Records an attempt by the dispatcher that holds the delivery. A 2xx ends it; a failure schedules the next
    /// attempt after <paramref name="retrySchedule"/>[failures so far], or fails it for good after the last retry.
    /// </summary>
    /// <param name="dispatcherId">The dispatcher that holds the lease.</param>
    /// <param name="attemptedAt">When the request was sent.</param>
    /// <param name="statusCode">The receiver's status code; null when there was no answer.</param>
    /// <param name="durationMs">How long the request took.</param>
    /// <param name="error">Why the attempt failed, when it did.</param>
    /// <param name="retrySchedule">The waits before each retry.</param>
    /// <param name="now">The time the outcome is known.</param>
    public WebhookDeliveryAttempt RecordAttempt(string dispatcherId, DateTime attemptedAt, int? statusCode, long durationMs, string? error, IReadOnlyList<TimeSpan> retrySchedule, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(retrySchedule);
        if (Status != WebhookDeliveryStatus.Pending || LeaseOwner != dispatcherId)
        {
            throw new DomainException("The delivery is not held by this dispatcher.");
        }

        var attempt = new WebhookDeliveryAttempt(Id, _attempts.Count + 1, attemptedAt, statusCode, durationMs, error);
        _attempts.Add(attempt);
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Version++;
        if (attempt.Succeeded)
        {
            End(WebhookDeliveryStatus.Succeeded, now);
        }
        else if (Retries < retrySchedule.Count)
        {
            NextAttemptAt = now + retrySchedule[Retries];
            Retries++;
        }
        else
        {
            End(WebhookDeliveryStatus.Failed, now);
        }

        return attempt;
    }

    /// <summary>Sends a finished delivery again (same id, same body), with a fresh retry schedule.</summary>
    public void Redeliver(DateTime now)
    {
        if (Status == WebhookDeliveryStatus.Pending)
        {
            throw new DomainException("The delivery is still being attempted; redeliver it once it has succeeded or failed.");
        }

        Status = WebhookDeliveryStatus.Pending;
        NextAttemptAt = now;
        Retries = 0;
        CompletedAt = null;
        Version++;
    }

    private void End(WebhookDeliveryStatus status, DateTime now)
    {
        Status = status;
        NextAttemptAt = null;
        CompletedAt = now;
    }
}
