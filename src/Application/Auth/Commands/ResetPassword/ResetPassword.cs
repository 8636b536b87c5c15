using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Commands.ResetPassword;

/// <summary>Sets a new password with an e-mailed reset token; every session of the user ends.</summary>
public sealed record ResetPasswordCommand(string Token, string NewPassword) : IRequest<OkResponse>;

public sealed class ResetPasswordCommandValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordCommandValidator()
    {
        RuleFor(x => x.Token).NotEmpty().MaximumLength(200);
        RuleFor(x => x.NewPassword).StrongPassword();
    }
}

public sealed class ResetPasswordCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    ITokenStateCache tokenState,
    SessionIssuer sessions,
    AuditTrail audit,
    TimeProvider clock) : IRequestHandler<ResetPasswordCommand, OkResponse>
{
    public async Task<OkResponse> Handle(ResetPasswordCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = SecretHash.Of(request.Token);
        var reset = await db.PasswordResets.SingleOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
        if (reset is null || !reset.IsUsable(now))
        {
            throw ValidationFailedException.ForField("token", "Invalid or expired reset token");
        }

        var user = await identity.FindByIdAsync(reset.UserId, cancellationToken);
        if (user is not { IsActive: true })
        {
            throw ValidationFailedException.ForField("token", "Invalid or expired reset token");
        }

        reset.Redeem(now);
        var ended = await sessions.EndAsync(db.RefreshTokens.Where(t => t.UserId == user.Id), "password reset", cancellationToken);
        audit.Record(AuditActions.PasswordReset, user.Id, user.Email, "user", user.Id.ToString(), new { sessions = ended.Count });
        await db.SaveChangesAsync(cancellationToken);

        // Sets the password, a new security stamp (every access token dies) and lifts a lockout.
        await identity.SetPasswordAsync(user.Id, request.NewPassword, cancellationToken);
        sessions.Forget(ended);
        tokenState.UserChanged(user.Id);
        return new OkResponse(true, "Password has been reset; sign in with the new password");
    }
}
