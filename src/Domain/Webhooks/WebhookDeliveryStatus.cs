namespace CleanBackend.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being attempted).</summary>
    Pending,
    Succeeded,

    /// <summary>Every attempt of the schedule failed.</summary>
    Failed,
}
