using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Commands.RefreshSession;

/// <summary>Exchanges a refresh token for a new pair. A token that was already exchanged is treated as stolen: its whole session ends.</summary>
public sealed record RefreshSessionCommand(string RefreshToken) : IRequest<TokenResponse>;

public sealed class RefreshSessionCommandValidator : AbstractValidator<RefreshSessionCommand>
{
    public RefreshSessionCommandValidator()
    {
        RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
    }
}

public sealed class RefreshSessionCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    SessionIssuer sessions,
    AuditTrail audit,
    TimeProvider clock) : IRequestHandler<RefreshSessionCommand, TokenResponse>
{
    private const string Invalid = "Invalid or expired refresh token";

    public async Task<TokenResponse> Handle(RefreshSessionCommand request, CancellationToken cancellationToken)
    {
        var hash = SecretHash.Of(request.RefreshToken);
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken)
            ?? throw new UnauthorizedException(Invalid);

        if (token.WasRotated)
        {
            var ended = await sessions.EndAsync(db.RefreshTokens.Where(t => t.FamilyId == token.FamilyId), "reuse detected", cancellationToken);
            var owner = await identity.FindByIdAsync(token.UserId, cancellationToken);
            audit.Record(AuditActions.RefreshTokenReuse, token.UserId, owner?.Email, "session", token.FamilyId.ToString());
            await db.SaveChangesAsync(cancellationToken);
            sessions.Forget([.. ended, token.FamilyId]);
            throw new UnauthorizedException("Refresh token reuse detected; the session has been ended");
        }

        if (!token.IsActive(clock.GetUtcNow().UtcDateTime))
        {
            throw new UnauthorizedException(Invalid);
        }

        var user = await identity.FindByIdAsync(token.UserId, cancellationToken);
        if (user is not { IsActive: true })
        {
            throw new UnauthorizedException(Invalid);
        }

        var (secret, _) = sessions.Rotate(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            // The same token was exchanged by a parallel request a moment ago.
            throw new UnauthorizedException("Refresh token already used", ex);
        }

        var access = sessions.AccessTokenFor(user, token.FamilyId);
        return new TokenResponse(true, access.Token, secret, access.ExpiresInSeconds);
    }
}
