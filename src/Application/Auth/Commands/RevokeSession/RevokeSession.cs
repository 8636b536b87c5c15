using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;

namespace CleanBackend.Application.Auth.Commands.RevokeSession;

/// <summary>Ends one of the caller's sessions (signs out another device).</summary>
public sealed record RevokeSessionCommand(Guid SessionId) : IRequest<Unit>;

public sealed class RevokeSessionCommandHandler(IApplicationDbContext db, SessionIssuer sessions, AuditTrail audit, IUser caller)
    : IRequestHandler<RevokeSessionCommand, Unit>
{
    public async Task<Unit> Handle(RevokeSessionCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        var ofSession = db.RefreshTokens.Where(t => t.UserId == userId && t.FamilyId == request.SessionId);
        var ended = await sessions.EndAsync(ofSession, "revoked", cancellationToken);
        if (ended.Count == 0)
        {
            throw NotFoundException.For("Session");
        }

        audit.Record(AuditActions.SessionRevoked, userId, caller.Email, "session", request.SessionId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        sessions.Forget(ended);
        return Unit.Value;
    }
}
