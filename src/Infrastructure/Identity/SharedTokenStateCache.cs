using CleanBackend.Infrastructure.Redis;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>
/// Revocations for many instances: a change is applied here at once and sent to every other instance through Redis,
/// so an ended session, a changed user or a revoked API key fails there on its next request too. What may have been missed while Redis
/// was down is forgotten when it is back; until then other instances hold answers at most
/// <see cref="AccessTokenValidator.CacheFor"/>.
/// </summary>
public sealed class SharedTokenStateCache : ITokenStateCache
{
    internal const string ChannelName = "token-state";

    private readonly AccessTokenValidator _local;
    private readonly RedisConnection _redis;

    public SharedTokenStateCache(AccessTokenValidator local, RedisConnection redis)
    {
        _local = local;
        _redis = redis;
        redis.SubscribeToOthers<Change>(ChannelName, change =>
        {
            if (change.UserId is { } userId)
            {
                local.UserChanged(userId);
            }

            local.SessionsEnded(change.SessionIds ?? []);
            local.ApiKeysRevoked(change.ApiKeyHashes ?? []);
        });
        redis.Restored += local.ForgetAll;
    }

    public void UserChanged(Guid userId)
    {
        _local.UserChanged(userId);
        _redis.TryPublishToOthers(ChannelName, new Change(userId, null, null));
    }

    public void SessionsEnded(IEnumerable<Guid> sessionIds)
    {
        var ids = sessionIds.ToArray();
        _local.SessionsEnded(ids);
        _redis.TryPublishToOthers(ChannelName, new Change(null, ids, null));
    }

    public void ApiKeysRevoked(IEnumerable<string> secretHashes)
    {
        var hashes = secretHashes.ToArray();
        _local.ApiKeysRevoked(hashes);
        _redis.TryPublishToOthers(ChannelName, new Change(null, null, hashes));
    }

    /// <param name="UserId">A user whose standing changed.</param>
    /// <param name="SessionIds">Sessions that ended.</param>
    /// <param name="ApiKeyHashes">Keys that were revoked, by the hash of their secret.</param>
    internal sealed record Change(Guid? UserId, Guid[]? SessionIds, string[]? ApiKeyHashes);
}
