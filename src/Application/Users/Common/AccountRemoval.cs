using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;

namespace CleanBackend.Application.Users.Common;

/// <summary>Ends a user's standing: sessions, API keys, account and files. Shared by self-deletion, admin deletion and deactivation.</summary>
public sealed class AccountRemoval(
    IApplicationDbContext db,
    IIdentityService identity,
    IFileStorage storage,
    ITokenStateCache tokenState,
    SessionIssuer sessions,
    AuditTrail audit,
    IUser caller,
    TimeProvider clock)
{
    /// <summary>Ends every session of the user; their access tokens fail on the next request.</summary>
    public async Task EndSessionsAsync(Guid userId, string reason, CancellationToken cancellationToken)
    {
        var ended = await sessions.EndAsync(db.RefreshTokens.Where(t => t.UserId == userId), reason, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        sessions.Forget(ended);
        tokenState.UserChanged(userId);
    }

    /// <summary>Deletes the account with its data (the caller has recorded the audit entry), then its files.</summary>
    public async Task DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        var files = await db.Assets.AsNoTracking().Where(a => a.UserId == userId).Select(a => a.StorageKey).ToListAsync(cancellationToken);

        // The keys go with the account; each revocation is on record, saved with the deletion.
        var keys = await db.ApiKeys.Where(k => k.UserId == userId && k.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            key.Revoke(clock.GetUtcNow().UtcDateTime);
            audit.Record(AuditActions.ApiKeyRevoked, caller.Id, caller.Email, "api_key", key.Id.ToString(), new { key.Name, key.Prefix, reason = "account_deleted" });
        }

        await identity.DeleteUserAsync(userId, cancellationToken);
        tokenState.UserChanged(userId);
        tokenState.ApiKeysRevoked(keys.Select(k => k.SecretHash));

        // The rows are gone; now the files they pointed at.
        foreach (var key in files)
        {
            await storage.DeleteAsync(key, CancellationToken.None);
        }
    }
}
