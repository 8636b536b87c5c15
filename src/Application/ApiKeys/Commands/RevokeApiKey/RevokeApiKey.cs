using CleanBackend.Application.Common.Security;

namespace CleanBackend.Application.ApiKeys.Commands.RevokeApiKey;

/// <summary>Revokes one of the caller's keys; its next request is refused, on every instance.</summary>
/// <param name="Id">The key's id.</param>
public sealed record RevokeApiKeyCommand(Guid Id) : IRequest<Unit>;

public sealed class RevokeApiKeyCommandHandler(IApplicationDbContext db, IUser caller, AuditTrail audit, ITokenStateCache tokenState, TimeProvider clock)
    : IRequestHandler<RevokeApiKeyCommand, Unit>
{
    public async Task<Unit> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();

        // Another user's key and an already revoked one are alike: there is nothing here to revoke.
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == request.Id && k.UserId == userId && k.RevokedAt == null, cancellationToken)
            ?? throw NotFoundException.For("API key");
        key.Revoke(clock.GetUtcNow().UtcDateTime);
        audit.Record(AuditActions.ApiKeyRevoked, userId, caller.Email, "api_key", key.Id.ToString(), new { key.Name, key.Prefix, reason = "revoked" });
        await db.SaveChangesAsync(cancellationToken);
        tokenState.ApiKeysRevoked([key.SecretHash]);
        return Unit.Value;
    }
}
