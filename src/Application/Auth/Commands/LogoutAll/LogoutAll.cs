using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;

namespace CleanBackend.Application.Auth.Commands.LogoutAll;

/// <summary>Ends every session of the caller, access tokens included.</summary>
public sealed record LogoutAllCommand : IRequest<LogoutAllResponse>;

public sealed class LogoutAllCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    ITokenStateCache tokenState,
    SessionIssuer sessions,
    AuditTrail audit,
    IUser caller) : IRequestHandler<LogoutAllCommand, LogoutAllResponse>
{
    public async Task<LogoutAllResponse> Handle(LogoutAllCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        var ended = await sessions.EndAsync(db.RefreshTokens.Where(t => t.UserId == userId), "logout-all", cancellationToken);
        audit.Record(AuditActions.LogoutAll, userId, caller.Email, "user", userId.ToString(), new { sessions = ended.Count });
        await db.SaveChangesAsync(cancellationToken);

        // A new security stamp voids every access token, also those of sessions that had already expired.
        await identity.InvalidateAccessTokensAsync(userId, cancellationToken);
        sessions.Forget(ended);
        tokenState.UserChanged(userId);
        return new LogoutAllResponse(true, ended.Count);
    }
}
