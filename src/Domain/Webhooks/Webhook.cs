using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Webhooks;

/// <summary>
/// A user's endpoint that is told, by signed HTTP POSTs, when their jobs finish. A webhook whose deliveries keep
/// failing is disabled, and stays so until its owner enables it again.
/// </summary>
public class Webhook : BaseEntity
{
    /// <summary>How many webhooks one user may have.</summary>
    public const int MaxPerUser = 5;
    public const int ProtectedSecretMaxLength = 1000;
    public const int DisabledReasonMaxLength = 500;

    private List<string> _events = [];

    private Webhook()
    {
        Url = string.Empty;
        ProtectedSecret = string.Empty;
    }

    /// <param name="userId">The owner.</param>
    /// <param name="url">Where deliveries go (checked by the caller against <see cref="WebhookUrl"/>).</param>
    /// <param name="events">The subscribed events: at least one of <see cref="WebhookEvents.Subscribable"/>.</param>
    /// <param name="enabled">Whether events are delivered.</param>
    /// <param name="protectedSecret">The signing secret, protected for storage.</param>
    /// <param name="now">The time of creation.</param>
    public Webhook(Guid userId, string url, IEnumerable<string> events, bool enabled, string protectedSecret, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        Url = Guard.NotBlank(url, nameof(url), WebhookUrl.MaxLength);
        _events = ValidEvents(events);
        Enabled = enabled;
        ProtectedSecret = Guard.NotBlank(protectedSecret, nameof(protectedSecret), ProtectedSecretMaxLength);
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid UserId { get; private set; }

    public string Url { get; private set; }

    public IReadOnlyList<string> Events
    {
        get => _events;
        private set => _events = [.. value];
    }

    public bool Enabled { get; private set; }

    /// <summary>The signing secret as stored: protected, never the plain secret.</summary>
    public string ProtectedSecret { get; private set; }

    /// <summary>Deliveries that failed for good in a row; a success sets it back to 0.</summary>
    public int ConsecutiveFailures { get; private set; }

    public string? DisabledReason { get; private set; }

    public DateTime? DisabledAt { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public bool Subscribes(string eventType) => Enabled && _events.Contains(eventType, StringComparer.Ordinal);

    /// <summary>Changes what is given. Enabling a webhook clears its failures, so it gets a fresh start.</summary>
    public void Update(string? url, IEnumerable<string>? events, bool? enabled, DateTime now)
    {
        if (url is not null)
        {
            Url = Guard.NotBlank(url, nameof(url), WebhookUrl.MaxLength);
        }

        if (events is not null)
        {
            _events = ValidEvents(events);
        }

        if (enabled == true && !Enabled)
        {
            ConsecutiveFailures = 0;
            DisabledReason = null;
            DisabledAt = null;
        }

        if (enabled is { } value)
        {
            Enabled = value;
        }

        UpdatedAt = now;
    }

    public void RotateSecret(string protectedSecret, DateTime now)
    {
        ProtectedSecret = Guard.NotBlank(protectedSecret, nameof(protectedSecret), ProtectedSecretMaxLength);
        UpdatedAt = now;
    }

    public void RecordDeliverySucceeded(DateTime now)
    {
        if (ConsecutiveFailures != 0)
        {
            ConsecutiveFailures = 0;
            UpdatedAt = now;
        }
    }

    /// <summary>
    /// A delivery failed for good. After <paramref name="disableAfter"/> such failures in a row an enabled webhook
    /// is disabled; true only for the failure that disabled it, so its owner is told once.
    /// </summary>
    public bool RecordDeliveryFailed(int disableAfter, DateTime now)
    {
        if (disableAfter < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(disableAfter), "A webhook is disabled after at least one failed delivery.");
        }

        if (!Enabled)
        {
            return false;
        }

        ConsecutiveFailures++;
        UpdatedAt = now;
        if (ConsecutiveFailures < disableAfter)
        {
            return false;
        }

        Enabled = false;
        DisabledAt = now;
        DisabledReason = $"Disabled after {ConsecutiveFailures} failed deliveries in a row.";
        return true;
    }

    private static List<string> ValidEvents(IEnumerable<string> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var list = events.Select(e => e?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A webhook subscribes to at least one event.", nameof(events));
        }

        if (list.FirstOrDefault(e => !WebhookEvents.IsSubscribable(e)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not an event (known: {string.Join(", ", WebhookEvents.Subscribable)}).", nameof(events));
        }

        return list;
    }
}
