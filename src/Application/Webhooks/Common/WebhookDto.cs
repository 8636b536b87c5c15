using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Common;

/// <summary>A webhook as its owner sees it; the signing secret is shown only by create and rotate-secret.</summary>
public sealed record WebhookDto
{
    public Guid Id { get; init; }

    public string Url { get; init; } = string.Empty;

    /// <summary>The subscribed events: job.completed, job.failed, job.canceled.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    public bool Enabled { get; init; }

    /// <summary>Deliveries that failed for good in a row; the webhook is disabled when they reach the configured limit.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Why the service disabled the webhook, when it did.</summary>
    public string? DisabledReason { get; init; }

    public DateTime? DisabledAt { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public static WebhookDto From(Webhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new WebhookDto
        {
            Id = webhook.Id,
            Url = webhook.Url,
            Events = [.. webhook.Events],
            Enabled = webhook.Enabled,
            ConsecutiveFailures = webhook.ConsecutiveFailures,
            DisabledReason = webhook.DisabledReason,
            DisabledAt = webhook.DisabledAt,
            CreatedAt = webhook.CreatedAt,
            UpdatedAt = webhook.UpdatedAt,
        };
    }
}

/// <summary>A webhook with its signing secret: the answer of create and rotate-secret, the only times the secret is shown.</summary>
public sealed record WebhookWithSecretDto
{
    public Guid Id { get; init; }

    public string Url { get; init; } = string.Empty;

    /// <summary>The subscribed events: job.completed, job.failed, job.canceled.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    public bool Enabled { get; init; }

    public int ConsecutiveFailures { get; init; }

    public string? DisabledReason { get; init; }

    public DateTime? DisabledAt { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    /// <summary>The signing secret (whsec_...): keep it, it is not shown again.</summary>
    public string Secret { get; init; } = string.Empty;

    public static WebhookWithSecretDto From(Webhook webhook, string secret)
    {
        var dto = WebhookDto.From(webhook);
        return new WebhookWithSecretDto
        {
            Id = dto.Id,
            Url = dto.Url,
            Events = dto.Events,
            Enabled = dto.Enabled,
            ConsecutiveFailures = dto.ConsecutiveFailures,
            DisabledReason = dto.DisabledReason,
            DisabledAt = dto.DisabledAt,
            CreatedAt = dto.CreatedAt,
            UpdatedAt = dto.UpdatedAt,
            Secret = secret,
        };
    }
}

/// <summary>One event on its way to a webhook, with every attempt made so far.</summary>
public sealed record WebhookDeliveryDto
{
    /// <summary>The delivery's id: the Webhook-Id header of every attempt.</summary>
    public Guid Id { get; init; }

    public Guid WebhookId { get; init; }

    /// <summary>job.completed, job.failed, job.canceled or ping.</summary>
    public string Event { get; init; } = string.Empty;

    public Guid? JobId { get; init; }

    public WebhookDeliveryStatus Status { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When the next attempt is due; null once the delivery succeeded or failed.</summary>
    public DateTime? NextAttemptAt { get; init; }

    public DateTime? CompletedAt { get; init; }

    /// <summary>The attempts so far, first first.</summary>
    public IReadOnlyList<WebhookDeliveryAttemptDto> Attempts { get; init; } = [];

    public static WebhookDeliveryDto From(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new WebhookDeliveryDto
        {
            Id = delivery.Id,
            WebhookId = delivery.WebhookId,
            Event = delivery.EventType,
            JobId = delivery.JobId,
            Status = delivery.Status,
            CreatedAt = delivery.CreatedAt,
            NextAttemptAt = delivery.NextAttemptAt,
            CompletedAt = delivery.CompletedAt,
            Attempts = [.. delivery.Attempts.OrderBy(a => a.Number).Select(a => new WebhookDeliveryAttemptDto(a.Number, a.AttemptedAt, a.StatusCode, a.DurationMs, a.Error, a.Succeeded))],
        };
    }
}

/// <summary>One HTTP request of a delivery.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="AttemptedAt">When it was sent.</param>
/// <param name="StatusCode">The receiver's status code; null when it did not answer (timeout, refused connection).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Succeeded">Whether the receiver answered 2xx.</param>
public sealed record WebhookDeliveryAttemptDto(int Number, DateTime AttemptedAt, int? StatusCode, long DurationMs, string? Error, bool Succeeded);
