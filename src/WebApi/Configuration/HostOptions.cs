using CleanBackend.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace CleanBackend.WebApi.Configuration;

public sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>PORT: the HTTP port.</summary>
    public int Port { get; set; } = 8081;

    /// <summary>The largest request body outside uploads (bytes).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>ALLOWED_ORIGINS: comma-separated origins of the web apps.</summary>
    public string AllowedOrigins { get; set; } = "http://localhost:3000,http://localhost:5173";

    public string[] Origins => AllowedOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class LogOptions
{
    public const string SectionName = "Log";

    /// <summary>LOG_DIR: the folder of the rolling log files.</summary>
    public string Directory { get; set; } = "logs";

    /// <summary>LOG_LEVEL: error, warn, info, debug or verbose.</summary>
    public string Level { get; set; } = "info";
}

internal sealed class HostOptionsValidator :
    IValidateOptions<ServerOptions>,
    IValidateOptions<CorsOptions>,
    IValidateOptions<AppOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        options.Port is < 1 or > 65535
            ? ValidateOptionsResult.Fail($"PORT: {options.Port} is not a TCP port (1-65535).")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, CorsOptions options)
    {
        var bad = options.Origins.Where(o => o != "*" && !(Uri.TryCreate(o, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")).ToList();
        return bad.Count > 0
            ? ValidateOptionsResult.Fail($"ALLOWED_ORIGINS: {string.Join(", ", bad)} is not an http(s) origin.")
            : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.FrontendUrl, UriKind.Absolute, out _))
        {
            errors.Add($"FRONTEND_URL: '{options.FrontendUrl}' is not an absolute URL.");
        }

        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out _))
        {
            errors.Add($"API_URL: '{options.ApiUrl}' is not an absolute URL.");
        }

        return errors.Count > 0
            ? ValidateOptionsResult.Fail(errors)
            : ValidateOptionsResult.Success;
    }
}
