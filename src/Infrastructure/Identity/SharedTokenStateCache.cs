using System.Text.Json;
using CleanBackend.Infrastructure.Redis;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>
/// Revocations for many instances: a change is applied here at once and sent to every other instance through Redis,
/// so an ended session or a changed user fails there on its next request too. What may have been missed while Redis
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
        redis.Subscribe(ChannelName, message =>
        {
            var change = JsonSerializer.Deserialize<Change>((byte[])message!);
            if (change is null || change.Origin == redis.InstanceId)
            {
                return;
            }

            if (change.UserId is { } userId)
            {
                _local.UserChanged(userId);
            }

            _local.SessionsEnded(change.SessionIds ?? []);
        });
        redis.Restored += local.ForgetAll;
    }

    public void UserChanged(Guid userId)
    {
        _local.UserChanged(userId);
        Send(new Change(_redis.InstanceId, userId, null));
    }

    public void SessionsEnded(IEnumerable<Guid> sessionIds)
    {
        var ids = sessionIds.ToArray();
        _local.SessionsEnded(ids);
        Send(new Change(_redis.InstanceId, null, ids));
    }

    private void Send(Change change) => _redis.TryPublish(ChannelName, JsonSerializer.SerializeToUtf8Bytes(change));

    private sealed record Change(Guid Origin, Guid? UserId, Guid[]? SessionIds);
}
