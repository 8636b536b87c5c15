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

    /// <summary>
    /// TRUSTED_PROXIES: comma-separated addresses or networks (<c>10.0.0.5</c>, <c>172.16.0.0/12</c>) of the load
    /// balancers whose X-Forwarded-For is believed. Unset: loopback only.
    /// </summary>
    public string? TrustedProxies { get; set; }

    public string[] Proxies => (TrustedProxies ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
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
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"PORT: {options.Port} is not a TCP port (1-65535).");
        }

        var bad = options.Proxies.Where(p => !(p.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(p, out _) : System.Net.IPAddress.TryParse(p, out _))).ToList();
        if (bad.Count > 0)
        {
            errors.Add($"TRUSTED_PROXIES: {string.Join(", ", bad)} is not an IP address or network (e.g. 10.0.0.5 or 172.16.0.0/12).");
        }

        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

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
