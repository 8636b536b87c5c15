namespace CleanBackend.Application.Auth.Commands.PurgeExpiredTokens;

/// <summary>
/// Deletes refresh tokens past their expiry (revoked ones stay until then: presenting one must still be
/// recognised as reuse), and pending registrations and reset tokens a day after theirs, so that a late
/// attempt is still told "expired" rather than "unknown".
/// </summary>
public sealed record PurgeExpiredTokensCommand : IRequest<PurgeResult>;

/// <param name="RefreshTokens">Refresh tokens deleted.</param>
/// <param name="EmailVerifications">Pending registrations deleted.</param>
/// <param name="PasswordResets">Reset tokens deleted.</param>
public sealed record PurgeResult(int RefreshTokens, int EmailVerifications, int PasswordResets);

public sealed class PurgeExpiredTokensCommandHandler(IApplicationDbContext db, TimeProvider clock)
    : IRequestHandler<PurgeExpiredTokensCommand, PurgeResult>
{
    public async Task<PurgeResult> Handle(PurgeExpiredTokensCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var refreshTokens = await db.RefreshTokens.Where(t => t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var dayAgo = now.AddDays(-1);
        var verifications = await db.EmailVerifications.Where(v => v.ExpiresAt <= dayAgo).ExecuteDeleteAsync(cancellationToken);
        var resets = await db.PasswordResets.Where(r => r.ExpiresAt <= dayAgo).ExecuteDeleteAsync(cancellationToken);
        return new PurgeResult(refreshTokens, verifications, resets);
    }
}
