using System.Globalization;
using CleanBackend.Infrastructure.Configuration;
using StackExchange.Redis;

namespace CleanBackend.Infrastructure.Redis;

/// <summary>
/// The Redis server that instances of the service share (section Redis). Unset: one instance, everything in its
/// own memory. <c>REDIS_URL</c> takes a StackExchange.Redis configuration string (<c>127.0.0.1:6379,password=x</c>)
/// or a URL (<c>redis://[:password@]host:port[/db]</c>, <c>rediss://</c> for TLS); <c>REDIS_HOST</c>,
/// <c>REDIS_PORT</c>, <c>REDIS_PASSWORD</c> and <c>REDIS_DB</c> are the alternative.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    public string? Url { get; set; }

    public string? Host { get; set; }

    public int Port { get; set; } = 6379;

    public string? Password { get; set; }

    public int Database { get; set; }

    /// <summary>Put before every key and channel, so several deployments can share one Redis server.</summary>
    public string KeyPrefix { get; set; } = "cleanbackend:";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url) || !string.IsNullOrWhiteSpace(Host);

    /// <summary>
    /// The client's settings: it never gives up on a server that is down (it reconnects in the background), and a
    /// command fails at once while there is no connection instead of waiting in a backlog, so a request never
    /// waits on Redis.
    /// </summary>
    public ConfigurationOptions ToConfiguration()
    {
        var configuration = !string.IsNullOrWhiteSpace(Url) ? ParseUrl(Url.Trim()) : FromParts();
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        configuration.AsyncTimeout = 2000;
        configuration.ConnectRetry = 1;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "cleanbackend";
        return configuration;
    }

    private ConfigurationOptions FromParts()
    {
        var configuration = new ConfigurationOptions { DefaultDatabase = Database };
        configuration.EndPoints.Add(Host!.Trim(), Port);
        if (!string.IsNullOrEmpty(Password))
        {
            configuration.Password = Password;
        }

        return configuration;
    }

    private static ConfigurationOptions ParseUrl(string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            return ConfigurationOptions.Parse(url);
        }

        var uri = new Uri(url);
        var configuration = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
        configuration.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
        if (uri.UserInfo.Length > 0)
        {
            // redis://:password@host and redis://user:password@host (Redis 6 ACL users).
            var credentials = uri.UserInfo.Split(':', 2);
            if (credentials.Length == 2)
            {
                if (credentials[0].Length > 0)
                {
                    configuration.User = Uri.UnescapeDataString(credentials[0]);
                }

                configuration.Password = Uri.UnescapeDataString(credentials[1]);
            }
            else
            {
                configuration.Password = Uri.UnescapeDataString(credentials[0]);
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            configuration.DefaultDatabase = int.Parse(path, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return configuration;
    }
}

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var errors = new OptionsErrors();
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            try
            {
                if (options.ToConfiguration().EndPoints.Count == 0)
                {
                    errors.Add("REDIS_URL", $"'{options.Url}' names no server (e.g. 127.0.0.1:6379 or redis://:password@host:6379/0).");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or OverflowException or RedisConnectionException)
            {
                errors.Add("REDIS_URL", $"'{options.Url}' is not a Redis configuration string or redis:// URL ({ex.Message}).");
            }
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add("REDIS_PORT", $"'{options.Port}' is not a port number.");
        }

        if (options.Database < 0)
        {
            errors.Add("REDIS_DB", $"'{options.Database}' is not a database number (0 or more).");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            errors.Add("Redis:KeyPrefix", "must not be empty.");
        }

        return errors.ToResult();
    }
}
