using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.Webhooks;

/// <summary>How webhooks are checked and delivered (section Webhooks).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Whether this instance delivers at all (false: other instances do).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether webhook URLs may be plain http; unset, only in Development.</summary>
    public bool? AllowHttp { get; set; }

    /// <summary>
    /// Whether webhooks may point at loopback, private, link-local, unique-local, multicast or unspecified addresses;
    /// unset, only in Development. Tests with receivers on loopback set it.
    /// </summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>The waits before each retry of a failed attempt; after the last one the delivery fails.</summary>
    public string RetrySchedule { get; set; } = "5s,30s,2m,15m,1h,6h";

    /// <summary>How long an attempt may take before it counts as failed.</summary>
    public string Timeout { get; set; } = "10s";

    /// <summary>How long a dispatcher holds a delivery it attempts; more than the timeout. A dispatcher that dies lets it go this way.</summary>
    public string LeaseDuration { get; set; } = "1m";

    /// <summary>How often an idle dispatcher looks for due deliveries.</summary>
    public string PollInterval { get; set; } = "1s";

    /// <summary>Deliveries one instance attempts at the same time.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Failed deliveries in a row after which a webhook is disabled and its owner e-mailed.</summary>
    public int DisableAfterFailedDeliveries { get; set; } = 5;

    public IReadOnlyList<TimeSpan> Retries => ParseSchedule(RetrySchedule) ?? throw new FormatException($"Webhooks:RetrySchedule: '{RetrySchedule}' is not a list of durations.");

    public TimeSpan AttemptTimeout => Duration.Parse(Timeout, "Webhooks:Timeout");

    public TimeSpan Lease => Duration.Parse(LeaseDuration, "Webhooks:LeaseDuration");

    public TimeSpan Poll => Duration.Parse(PollInterval, "Webhooks:PollInterval");

    internal static List<TimeSpan>? ParseSchedule(string? schedule)
    {
        var parts = (schedule ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var waits = new List<TimeSpan>();
        foreach (var part in parts)
        {
            if (!Duration.TryParse(part, out var wait))
            {
                return null;
            }

            waits.Add(wait);
        }

        return waits;
    }
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new OptionsErrors();
        if (WebhookOptions.ParseSchedule(options.RetrySchedule) is not { Count: <= 20 })
        {
            errors.Add("Webhooks:RetrySchedule", $"'{options.RetrySchedule}' is not a comma-separated list of at most 20 durations such as 5s,30s,2m.");
        }

        var timeoutOk = Duration.TryParse(options.Timeout, out var timeout);
        if (!timeoutOk)
        {
            errors.Add("Webhooks:Timeout", $"'{options.Timeout}' is not a duration such as 10s.");
        }

        if (!Duration.TryParse(options.LeaseDuration, out var lease) || (timeoutOk && lease <= timeout))
        {
            errors.Add("Webhooks:LeaseDuration", $"'{options.LeaseDuration}' is not a duration longer than Webhooks:Timeout.");
        }

        if (!Duration.TryParse(options.PollInterval, out _))
        {
            errors.Add("Webhooks:PollInterval", $"'{options.PollInterval}' is not a duration such as 500ms or 1s.");
        }

        if (options.Concurrency is < 1 or > 64)
        {
            errors.Add("Webhooks:Concurrency", "must be from 1 to 64.");
        }

        if (options.DisableAfterFailedDeliveries is < 1 or > 1000)
        {
            errors.Add("Webhooks:DisableAfterFailedDeliveries", "must be from 1 to 1000.");
        }

        return errors.ToResult();
    }
}
