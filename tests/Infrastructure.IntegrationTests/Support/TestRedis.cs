using CleanBackend.Infrastructure.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CleanBackend.Infrastructure.IntegrationTests.Support;

/// <summary>The Redis server named by TEST_REDIS_URL (the test command starts a throwaway one when Redis is installed).</summary>
public static class TestRedis
{
    public const string UrlVariable = "TEST_REDIS_URL";

    /// <summary>A port nothing listens on: Redis "down".</summary>
    public const string UnreachableUrl = "127.0.0.1:1";

    public static string? Url => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    /// <summary>One service instance's connection; instances of one test share a prefix that no other test uses.</summary>
    public static RedisConnection Connect(string keyPrefix, string? url = null) =>
        new(Options.Create(new RedisOptions { Url = url ?? Url, KeyPrefix = keyPrefix }), NullLogger<RedisConnection>.Instance);

    public static string NewKeyPrefix() => $"test-{Guid.NewGuid():N}:";
}

/// <summary>A test that needs the Redis server of TEST_REDIS_URL; skipped without one (CI always has one).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (TestRedis.Url is null)
        {
            Skip = $"{TestRedis.UrlVariable} is not set: no Redis server for this run.";
        }
    }
}
