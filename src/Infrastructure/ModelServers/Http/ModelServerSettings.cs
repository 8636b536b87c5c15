using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary><see cref="ModelServerOptions"/> read once: durations parsed, the base address ready for relative paths.</summary>
internal sealed record ModelServerSettings
{
    public required Uri BaseAddress { get; init; }

    public required string Protocol { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    public required TimeSpan GenerationTimeout { get; init; }

    public required TimeSpan PollInterval { get; init; }

    public required int MaxAttempts { get; init; }

    public required TimeSpan RetryDelay { get; init; }

    public required int BreakerFailures { get; init; }

    public required TimeSpan BreakDuration { get; init; }

    public required long MaxFileBytes { get; init; }

    /// <summary>How a v1 server gets input images: <see cref="ModelServerImageInputs.Inline"/> or <see cref="ModelServerImageInputs.Url"/>.</summary>
    public string ImageInputs { get; init; } = ModelServerImageInputs.Inline;

    /// <summary>
    /// Where each generation gets its own temporary folder for the downloaded files; null (the default) means a fresh
    /// folder with an unguessable name right under the system's temp folder.
    /// </summary>
    public string? TempRoot { get; init; }

    public static ModelServerSettings From(ModelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = options.Url?.Trim() ?? throw new InvalidOperationException("MODEL_SERVER_URL is not set.");

        // A trailing slash makes relative paths ("v1/generations") land under a path prefix such as /shap-e/.
        return new ModelServerSettings
        {
            BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute),
            Protocol = options.Protocol,
            RequestTimeout = Duration.Parse(options.RequestTimeout, "ModelServer:RequestTimeout"),
            GenerationTimeout = Duration.Parse(options.GenerationTimeout, "ModelServer:GenerationTimeout"),
            PollInterval = Duration.Parse(options.PollInterval, "ModelServer:PollInterval"),
            MaxAttempts = options.MaxAttempts,
            RetryDelay = Duration.Parse(options.RetryDelay, "ModelServer:RetryDelay"),
            BreakerFailures = options.BreakerFailures,
            BreakDuration = Duration.Parse(options.BreakDuration, "ModelServer:BreakDuration"),
            MaxFileBytes = options.MaxFileBytes,
            ImageInputs = options.ImageInputs,
        };
    }
}
