using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.Jobs;

/// <summary>How the generation queue is worked (section Jobs).</summary>
public sealed class JobQueueOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Whether this instance runs jobs at all (false: an API-only instance; other instances do the work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A remote model server's default: it is usually one GPU, which runs one or two models at a time.</summary>
    public const int RemoteServerConcurrency = 2;

    /// <summary>
    /// Jobs one instance runs at the same time. Unset, it depends on the model server: 2 for a remote one, and 4 per
    /// core for the built-in generator, whose short jobs spend part of their time waiting on disk and database writes
    /// (on 2 cores, 8 slots ran 25 % more jobs per second than 2, and started them 5 times sooner).
    /// </summary>
    public int? Concurrency { get; set; }

    /// <summary>The most slots an instance may have.</summary>
    public const int MaxConcurrency = 64;

    public static int BuiltInConcurrency => Math.Min(4 * Environment.ProcessorCount, MaxConcurrency);

    /// <summary>How long a worker holds a job without renewing; a job whose lease runs out is taken over.</summary>
    public string LeaseDuration { get; set; } = "30s";

    /// <summary>How often an idle worker looks for queued jobs it was not told about (other instances' jobs).</summary>
    public string PollInterval { get; set; } = "1s";

    /// <summary>How many times a job may be started before it fails for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan Lease => Duration.Parse(LeaseDuration, "Jobs:LeaseDuration");

    public TimeSpan Poll => Duration.Parse(PollInterval, "Jobs:PollInterval");
}

internal sealed class JobQueueOptionsValidator : IValidateOptions<JobQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, JobQueueOptions options)
    {
        var errors = new OptionsErrors();
        if (options.Concurrency is not { } concurrency || concurrency is < 1 or > JobQueueOptions.MaxConcurrency)
        {
            errors.Add("Jobs:Concurrency", $"must be from 1 to {JobQueueOptions.MaxConcurrency}.");
        }

        if (!Duration.TryParse(options.LeaseDuration, out var lease) || lease < TimeSpan.FromMilliseconds(300))
        {
            errors.Add("Jobs:LeaseDuration", $"'{options.LeaseDuration}' is not a duration of at least 300ms.");
        }

        if (!Duration.TryParse(options.PollInterval, out _))
        {
            errors.Add("Jobs:PollInterval", $"'{options.PollInterval}' is not a duration such as 500ms or 1s.");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            errors.Add("Jobs:MaxAttempts", "must be from 1 to 10.");
        }

        return errors.ToResult();
    }
}
