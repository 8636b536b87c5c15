using System.Security.Claims;
using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.ApiKeys;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>
/// The checks a signature cannot make (and those of API keys, which have none): the user still exists and is active, the token's security stamp is the
/// user's current one, and its session has not ended. Answers are cached briefly and forgotten the moment this
/// instance changes them, so a request costs no query and a revoked token fails on its next use. Other instances
/// of the service hear of a change through Redis (<see cref="SharedTokenStateCache"/>), or else notice within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class AccessTokenValidator(IMemoryCache cache, IServiceScopeFactory scopes, TimeProvider clock) : ITokenStateCache
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>Null when the token may be used; otherwise why not.</summary>
    public async Task<string?> FindProblemAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.FindFirst("sub")?.Value, out var userId)
            || !Guid.TryParse(principal.FindFirst(TokenService.SessionClaim)?.Value, out var sessionId))
        {
            return "Invalid or expired token";
        }

        var user = await FindUserAsync(userId, cancellationToken);
        if (OwnerProblem(user) is { } problem)
        {
            return problem;
        }

        if (user!.SecurityStamp != principal.FindFirst(TokenService.SecurityStampClaim)?.Value)
        {
            return "Token has been revoked";
        }

        var sessionLive = await cache.GetOrCreateAsync(SessionKey(sessionId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            var now = clock.GetUtcNow().UtcDateTime;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            return await db.RefreshTokens.AnyAsync(t => t.FamilyId == sessionId && t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now, cancellationToken);
        });

        return sessionLive ? null : "Session has ended";
    }

    /// <summary>
    /// The API key whose secret is <paramref name="secret"/> when it may be used now, with its owner's checks (the
    /// owner exists and is active); otherwise why not. A key holds however the owner's password or sessions change.
    /// </summary>
    public async Task<(ApiKeyState? Key, string? Problem)> FindApiKeyAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = SecretHash.Of(secret);
        var cacheKey = ApiKeyCacheKey(hash);
        if (!cache.TryGetValue(cacheKey, out ApiKeyState? key))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            key = await db.ApiKeys.AsNoTracking().Where(k => k.SecretHash == hash)
                .Select(k => new ApiKeyState(k.Id, k.UserId, k.Scopes, k.Mode, k.ExpiresAt, k.RevokedAt != null))
                .SingleOrDefaultAsync(cancellationToken);

            // Unknown secrets are not remembered: guesses must not fill the memory.
            if (key is not null)
            {
                cache.Set(cacheKey, key, CacheFor);
            }
        }

        if (key is null)
        {
            return (null, "Invalid API key");
        }

        if (key.Revoked)
        {
            return (null, "API key has been revoked");
        }

        if (key.ExpiresAt is { } expires && clock.GetUtcNow().UtcDateTime >= expires)
        {
            return (null, "API key has expired");
        }

        return OwnerProblem(await FindUserAsync(key.UserId, cancellationToken)) is { } problem ? (null, problem) : (key, null);
    }

    public void UserChanged(Guid userId) => cache.Remove(UserKey(userId));

    public void ApiKeysRevoked(IEnumerable<string> secretHashes)
    {
        foreach (var hash in secretHashes)
        {
            cache.Remove(ApiKeyCacheKey(hash));
        }
    }

    private Task<UserState?> FindUserAsync(Guid userId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(UserKey(userId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            return await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new UserState(u.SecurityStamp, u.IsActive))
                .SingleOrDefaultAsync(cancellationToken);
        });

    private static string? OwnerProblem(UserState? user) =>
        user is null ? "User no longer exists" : !user.IsActive ? "Account is deactivated" : null;

    public void SessionsEnded(IEnumerable<Guid> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            cache.Remove(SessionKey(id));
        }
    }

    /// <summary>Forgets every answer (changes made elsewhere may have been missed); the old entries just expire.</summary>
    public void ForgetAll() => Interlocked.Increment(ref _epoch);

    private long _epoch;

    // Value keys: no string to build on every request.
    private UserStateKey UserKey(Guid id) => new(id, Volatile.Read(ref _epoch));

    private SessionStateKey SessionKey(Guid id) => new(id, Volatile.Read(ref _epoch));

    private ApiKeyStateKey ApiKeyCacheKey(string hash) => new(hash, Volatile.Read(ref _epoch));

    private readonly record struct UserStateKey(Guid UserId, long Epoch);

    private readonly record struct SessionStateKey(Guid SessionId, long Epoch);

    private readonly record struct ApiKeyStateKey(string SecretHash, long Epoch);

    private sealed record UserState(string? SecurityStamp, bool IsActive);
}

/// <summary>What a request authenticated with an API key needs to know of it.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="UserId">Its owner.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Mode">Live or test.</param>
/// <param name="ExpiresAt">When it stops working by itself.</param>
/// <param name="Revoked">Whether it was revoked.</param>
public sealed record ApiKeyState(Guid Id, Guid UserId, IReadOnlyList<string> Scopes, ApiKeyMode Mode, DateTime? ExpiresAt, bool Revoked);
