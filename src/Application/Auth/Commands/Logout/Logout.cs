using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Commands.Logout;

/// <summary>Ends the session of a refresh token, and the caller's own session when an access token came with it.</summary>
public sealed record LogoutCommand(string RefreshToken) : IRequest<OkResponse>;

public sealed class LogoutCommandValidator : AbstractValidator<LogoutCommand>
{
    public LogoutCommandValidator()
    {
        RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
    }
}

public sealed class LogoutCommandHandler(IApplicationDbContext db, SessionIssuer sessions, AuditTrail audit, IUser caller)
    : IRequestHandler<LogoutCommand, OkResponse>
{
    public async Task<OkResponse> Handle(LogoutCommand request, CancellationToken cancellationToken)
    {
        var hash = SecretHash.Of(request.RefreshToken);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        var sessionIds = new HashSet<Guid>();
        if (token is not null)
        {
            sessionIds.Add(token.FamilyId);
        }

        if (caller is { Id: not null, SessionId: { } current })
        {
            sessionIds.Add(current);
        }

        // Logging out twice, or with an unknown token, is not an error: the session is over either way.
        if (sessionIds.Count > 0)
        {
            var userId = token?.UserId ?? caller.Id!.Value;
            var ended = await sessions.EndAsync(db.RefreshTokens.Where(t => t.UserId == userId && sessionIds.Contains(t.FamilyId)), "logout", cancellationToken);
            audit.Record(AuditActions.Logout, userId, caller.Email, "session", string.Join(',', sessionIds));
            await db.SaveChangesAsync(cancellationToken);
            sessions.Forget([.. ended, .. sessionIds]);
        }

        return new OkResponse(true);
    }
}
