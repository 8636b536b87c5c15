using System.Text;
using CleanBackend.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Identity;

public sealed class JwtOptions
{
    public const string SectionName = "Jwt";
    public const int MinimumSecretBytes = 32;

    /// <summary>JWT_SECRET: the HMAC key; required outside Development.</summary>
    public string? Secret { get; set; }

    /// <summary>JWT_EXPIRES_IN: access token lifetime.</summary>
    public string ExpiresIn { get; set; } = "15m";

    /// <summary>REFRESH_TOKEN_EXPIRES_IN: refresh token lifetime.</summary>
    public string RefreshTokenExpiresIn { get; set; } = "7d";

    public string Issuer { get; set; } = "cleanbackend";

    public string Audience { get; set; } = "cleanbackend";

    public TimeSpan AccessTokenLifetime => Duration.Parse(ExpiresIn, "JWT_EXPIRES_IN");

    public TimeSpan RefreshTokenLifetime => Duration.Parse(RefreshTokenExpiresIn, "REFRESH_TOKEN_EXPIRES_IN");
}

internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var errors = new OptionsErrors();
        if (string.IsNullOrEmpty(options.Secret))
        {
            if (!environment.IsEnvironment("Development"))
            {
                errors.Add("JWT_SECRET", $"is required outside Development (at least {JwtOptions.MinimumSecretBytes} bytes).");
            }
        }
        else if (Encoding.UTF8.GetByteCount(options.Secret) < JwtOptions.MinimumSecretBytes)
        {
            errors.Add("JWT_SECRET", $"must be at least {JwtOptions.MinimumSecretBytes} bytes long.");
        }

        if (!Duration.TryParse(options.ExpiresIn, out _))
        {
            errors.Add("JWT_EXPIRES_IN", $"'{options.ExpiresIn}' is not a duration such as 15m or 1h.");
        }

        if (!Duration.TryParse(options.RefreshTokenExpiresIn, out _))
        {
            errors.Add("REFRESH_TOKEN_EXPIRES_IN", $"'{options.RefreshTokenExpiresIn}' is not a duration such as 7d.");
        }

        return errors.ToResult();
    }
}
