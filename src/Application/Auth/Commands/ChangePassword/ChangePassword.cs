using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;

namespace CleanBackend.Application.Auth.Commands.ChangePassword;

/// <summary>Changes the caller's password; their other sessions end, this one continues.</summary>
public sealed record ChangePasswordCommand(string CurrentPassword, string NewPassword) : IRequest<OkResponse>;

public sealed class ChangePasswordCommandValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordCommandValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().MaximumLength(AccountRules.PasswordMaxLength);
        RuleFor(x => x.NewPassword).StrongPassword()
            .NotEqual(x => x.CurrentPassword).WithMessage("The new password must differ from the current one.");
    }
}

public sealed class ChangePasswordCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    SessionIssuer sessions,
    AuditTrail audit,
    IUser caller) : IRequestHandler<ChangePasswordCommand, OkResponse>
{
    public async Task<OkResponse> Handle(ChangePasswordCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        if (!await identity.ChangePasswordAsync(userId, request.CurrentPassword, request.NewPassword, cancellationToken))
        {
            throw ValidationFailedException.ForField("currentPassword", "Current password is incorrect");
        }

        var current = caller.SessionId;
        var others = db.RefreshTokens.Where(t => t.UserId == userId && t.FamilyId != current);
        var ended = await sessions.EndAsync(others, "password changed", cancellationToken);
        audit.Record(AuditActions.PasswordChanged, userId, caller.Email, "user", userId.ToString(), new { endedSessions = ended.Count });
        await db.SaveChangesAsync(cancellationToken);
        sessions.Forget(ended);
        return new OkResponse(true, "Password changed");
    }
}
