using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.ModelServers;

/// <summary>Which model server generates the models, and how patiently it is called (section ModelServer).</summary>
public sealed class ModelServerOptions
{
    public const string SectionName = "ModelServer";

    /// <summary>MODEL_SERVER_URL: a remote model server; unset means the built-in generator.</summary>
    public string? Url { get; set; }

    /// <summary>MODEL_SERVER_PROTOCOL: <c>v1</c> (asynchronous, progress and cancel) or <c>shap-e</c> (the seed's Flask server).</summary>
    public string Protocol { get; set; } = ModelServerProtocols.V1;

    /// <summary>How long one HTTP call may take (the shap-e server answers only when the model is done, so it gets <see cref="GenerationTimeout"/>).</summary>
    public string RequestTimeout { get; set; } = "30s";

    /// <summary>How long a whole generation may take before the job fails.</summary>
    public string GenerationTimeout { get; set; } = "15m";

    /// <summary>How often a v1 server is asked for progress.</summary>
    public string PollInterval { get; set; } = "1s";

    /// <summary>Tries of one call for transient failures (timeouts, connection errors, 408, 429, 5xx).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First delay between tries; it grows exponentially, with jitter.</summary>
    public string RetryDelay { get; set; } = "1s";

    /// <summary>Failures in a row that open the circuit breaker, and how long it stays open.</summary>
    public int BreakerFailures { get; set; } = 5;

    public string BreakDuration { get; set; } = "30s";

    /// <summary>The largest file accepted from a model server.</summary>
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// How a v1 server gets a job's input images: <c>inline</c> (base64 in the request, the default: works wherever
    /// the server is) or <c>url</c> (signed links under API_URL, which the server must be able to reach).
    /// </summary>
    public string ImageInputs { get; set; } = ModelServerImageInputs.Inline;

    public bool IsBuiltIn => string.IsNullOrWhiteSpace(Url);
}

public static class ModelServerProtocols
{
    public const string V1 = "v1";
    public const string ShapE = "shap-e";
}

/// <summary>The values of <see cref="ModelServerOptions.ImageInputs"/>.</summary>
public static class ModelServerImageInputs
{
    public const string Inline = "inline";
    public const string Url = "url";
}

internal sealed class ModelServerOptionsValidator : IValidateOptions<ModelServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelServerOptions options)
    {
        var errors = new OptionsErrors();
        if (!options.IsBuiltIn && !(Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add("MODEL_SERVER_URL", $"'{options.Url}' is not an http(s) URL.");
        }

        if (options.Protocol is not (ModelServerProtocols.V1 or ModelServerProtocols.ShapE))
        {
            errors.Add("MODEL_SERVER_PROTOCOL", $"'{options.Protocol}' is not one of v1, shap-e.");
        }

        if (options.ImageInputs is not (ModelServerImageInputs.Inline or ModelServerImageInputs.Url))
        {
            errors.Add("ModelServer:ImageInputs", $"'{options.ImageInputs}' is not one of inline, url.");
        }

        foreach (var (setting, value) in new[]
        {
            ("ModelServer:RequestTimeout", options.RequestTimeout),
            ("ModelServer:GenerationTimeout", options.GenerationTimeout),
            ("ModelServer:PollInterval", options.PollInterval),
            ("ModelServer:RetryDelay", options.RetryDelay),
            ("ModelServer:BreakDuration", options.BreakDuration),
        })
        {
            if (!Duration.TryParse(value, out _))
            {
                errors.Add(setting, $"'{value}' is not a duration such as 500ms, 30s or 15m.");
            }
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            errors.Add("ModelServer:MaxAttempts", "must be from 1 to 10.");
        }

        if (options.BreakerFailures < 2)
        {
            errors.Add("ModelServer:BreakerFailures", "must be at least 2.");
        }

        if (options.MaxFileBytes <= 0)
        {
            errors.Add("ModelServer:MaxFileBytes", "must be positive.");
        }

        return errors.ToResult();
    }
}
