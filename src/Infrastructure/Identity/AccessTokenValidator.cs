using System.Security.Claims;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>
/// The checks a signature cannot make: the user still exists and is active, the token's security stamp is the
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

        var user = await cache.GetOrCreateAsync(UserKey(userId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            return await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new UserState(u.SecurityStamp, u.IsActive))
                .SingleOrDefaultAsync(cancellationToken);
        });

        if (user is null)
        {
            return "User no longer exists";
        }

        if (!user.IsActive)
        {
            return "Account is deactivated";
        }

        if (user.SecurityStamp != principal.FindFirst(TokenService.SecurityStampClaim)?.Value)
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

    public void UserChanged(Guid userId) => cache.Remove(UserKey(userId));

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

    private readonly record struct UserStateKey(Guid UserId, long Epoch);

    private readonly record struct SessionStateKey(Guid SessionId, long Epoch);

    private sealed record UserState(string? SecurityStamp, bool IsActive);
}
