using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CleanBackend.Application.Analytics.Common;

/// <summary>
/// Analytics answers, kept briefly per user. A user's entries are dropped as soon as one of their jobs changes
/// (the job events say when), so the cache only saves work while nothing happens.
/// </summary>
public sealed class AnalyticsCache(IMemoryCache cache, IOptions<AnalyticsOptions> options)
{
    public async Task<T> GetOrAddAsync<T>(Guid userId, string question, Func<Task<T>> answer)
    {
        var key = $"analytics:{Volatile.Read(ref _epoch)}:{userId}:{Generation(userId)}:{question}";
        if (cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }

        var value = await answer();
        cache.Set(key, value, TimeSpan.FromSeconds(options.Value.CacheSeconds));
        return value;
    }

    private long _epoch;

    /// <summary>Forgets every user's answers (after changes this instance may not have heard of).</summary>
    public void InvalidateAll() => Interlocked.Increment(ref _epoch);

    /// <summary>Forgets everything cached for the user.</summary>
    public void Invalidate(Guid userId) => cache.Set(GenerationKey(userId), Generation(userId) + 1, TimeSpan.FromHours(1));

    private long Generation(Guid userId) => cache.TryGetValue(GenerationKey(userId), out long generation) ? generation : 0;

    private static string GenerationKey(Guid userId) => $"analytics:{userId}:generation";
}

public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>How long an analytics answer is reused while the user's jobs do not change.</summary>
    public int CacheSeconds { get; set; } = 300;
}
