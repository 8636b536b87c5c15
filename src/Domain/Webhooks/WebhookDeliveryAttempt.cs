using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Webhooks;

/// <summary>One HTTP request of a delivery and what came of it.</summary>
public class WebhookDeliveryAttempt : BaseEntity
{
    public const int ErrorMaxLength = 500;

    private WebhookDeliveryAttempt()
    {
    }

    /// <param name="deliveryId">The delivery.</param>
    /// <param name="number">1 for the first attempt.</param>
    /// <param name="attemptedAt">When the request was sent.</param>
    /// <param name="statusCode">The receiver's status code; null when there was no answer.</param>
    /// <param name="durationMs">How long the request took.</param>
    /// <param name="error">Why the attempt failed, when it did.</param>
    public WebhookDeliveryAttempt(Guid deliveryId, int number, DateTime attemptedAt, int? statusCode, long durationMs, string? error)
    {
        DeliveryId = deliveryId;
        Number = number;
        AttemptedAt = attemptedAt;
        StatusCode = statusCode;
        DurationMs = Math.Max(0, durationMs);
        Error = Guard.Truncate(string.IsNullOrWhiteSpace(error) ? null : error.Trim(), ErrorMaxLength);
    }

    public Guid DeliveryId { get; private set; }

    public int Number { get; private set; }

    public DateTime AttemptedAt { get; private set; }

    public int? StatusCode { get; private set; }

    public long DurationMs { get; private set; }

    public string? Error { get; private set; }

    /// <summary>A delivery succeeds on a 2xx answer; anything else (3xx included: redirects are not followed) fails.</summary>
    public bool Succeeded => StatusCode is >= 200 and <= 299;
}
