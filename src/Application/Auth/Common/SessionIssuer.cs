using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Common;

/// <summary>Starts, continues and ends login sessions: refresh tokens stored hashed, access tokens bound to their session.</summary>
public sealed class SessionIssuer(
    IApplicationDbContext db,
    ITokenService tokens,
    ITokenStateCache tokenState,
    IUser caller,
    TimeProvider clock,
    IMapper mapper)
{
    /// <summary>A new session for a user who just proved who they are.</summary>
    public async Task<AuthResponse> StartAsync(UserAccount user, CancellationToken cancellationToken)
    {
        var secret = tokens.CreateOpaqueToken();
        var refreshToken = RefreshToken.IssueForLogin(user.Id, SecretHash.Of(secret), Now, tokens.RefreshTokenLifetime, caller.IpAddress, caller.UserAgent);
        db.RefreshTokens.Add(refreshToken);
        await db.SaveChangesAsync(cancellationToken);

        var access = tokens.CreateAccessToken(user.Id, user.Email, user.Roles, user.SecurityStamp, refreshToken.FamilyId);
        return new AuthResponse(true, access.Token, secret, access.ExpiresInSeconds, mapper.Map<UserDto>(user));
    }

    /// <summary>Replaces a refresh token with its successor; the caller saves.</summary>
    public (string Secret, RefreshToken Successor) Rotate(RefreshToken current)
    {
        var secret = tokens.CreateOpaqueToken();
        var successor = current.Rotate(SecretHash.Of(secret), Now, tokens.RefreshTokenLifetime, caller.IpAddress, caller.UserAgent);
        db.RefreshTokens.Add(successor);
        return (secret, successor);
    }

    public AccessToken AccessTokenFor(UserAccount user, Guid sessionId) =>
        tokens.CreateAccessToken(user.Id, user.Email, user.Roles, user.SecurityStamp, sessionId);

    /// <summary>Ends sessions: revokes their live refresh tokens and returns the sessions that were live.</summary>
    public async Task<IReadOnlyList<Guid>> EndAsync(IQueryable<RefreshToken> tokensToEnd, string reason, CancellationToken cancellationToken)
    {
        var now = Now;
        var live = await tokensToEnd.Where(t => t.RevokedAt == null && t.ExpiresAt > now).ToListAsync(cancellationToken);
        foreach (var token in live)
        {
            token.Revoke(reason, now);
        }

        return [.. live.Select(t => t.FamilyId).Distinct()];
    }

    /// <summary>After saving: access tokens of ended sessions stop working on their next request.</summary>
    public void Forget(IEnumerable<Guid> sessionIds) => tokenState.SessionsEnded(sessionIds);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
