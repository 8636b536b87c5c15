namespace CleanBackend.WebApi.Configuration;

/// <summary>
/// The seed's flat environment variable names, mapped onto configuration sections so that one options class
/// serves both them and appsettings.json. A variable that is set wins over the file.
/// </summary>
public static class EnvironmentVariables
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["PORT"] = "Server:Port",
        ["DATABASE_PROVIDER"] = "Database:Provider",
        ["DATABASE_URL"] = "Database:ConnectionString",
        ["DATABASE_MIGRATE_ON_STARTUP"] = "Database:MigrateOnStartup",
        ["JWT_SECRET"] = "Jwt:Secret",
        ["JWT_EXPIRES_IN"] = "Jwt:ExpiresIn",
        ["REFRESH_TOKEN_EXPIRES_IN"] = "Jwt:RefreshTokenExpiresIn",
        ["SMTP_HOST"] = "Email:SmtpHost",
        ["SMTP_PORT"] = "Email:SmtpPort",
        ["EMAIL_USER"] = "Email:User",
        ["EMAIL_PASS"] = "Email:Password",
        ["EMAIL_FROM"] = "Email:From",
        ["MODEL_SERVER_URL"] = "ModelServer:Url",
        ["MODEL_SERVER_PROTOCOL"] = "ModelServer:Protocol",
        ["ASSETS_DIR"] = "Storage:AssetsDir",
        ["FRONTEND_URL"] = "App:FrontendUrl",
        ["API_URL"] = "App:ApiUrl",
        ["ALLOWED_ORIGINS"] = "Cors:AllowedOrigins",
        ["LOG_DIR"] = "Log:Directory",
        ["LOG_LEVEL"] = "Log:Level",
        ["ADMIN_EMAIL"] = "Admin:Email",
        ["ADMIN_PASSWORD"] = "Admin:Password",
        ["RATE_LIMIT_ENABLED"] = "RateLimiting:Enabled",
        ["REDIS_URL"] = "Redis:Url",
        ["REDIS_HOST"] = "Redis:Host",
        ["REDIS_PORT"] = "Redis:Port",
        ["REDIS_PASSWORD"] = "Redis:Password",
        ["REDIS_DB"] = "Redis:Database",
        ["TRUSTED_PROXIES"] = "Server:TrustedProxies",
    };

    /// <summary>The configuration keys of the variables that are set in <paramref name="environment"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Read(System.Collections.IDictionary environment)
    {
        foreach (var (variable, key) in Map)
        {
            if (environment[variable] is string value)
            {
                yield return new(key, value);
            }
        }

        // ConnectionStrings__Default is the .NET way to give the same connection string.
        if (environment["DATABASE_URL"] is null && environment["ConnectionStrings__Default"] is string connectionString)
        {
            yield return new("Database:ConnectionString", connectionString);
        }
    }

    public static IConfigurationBuilder AddSeedEnvironmentVariables(this IConfigurationBuilder builder) =>
        builder.AddInMemoryCollection(Read(Environment.GetEnvironmentVariables()));
}
