using System.Globalization;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;

namespace CleanBackend.Application.Auth.Commands.Login;

public sealed record LoginCommand(string Email, string Password) : IRequest<AuthResponse>;

public sealed class LoginCommandValidator : AbstractValidator<LoginCommand>
{
    public LoginCommandValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(AccountRules.EmailMaxLength);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(AccountRules.PasswordMaxLength);
    }
}

public sealed class LoginCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    SessionIssuer sessions,
    AuditTrail audit,
    TimeProvider clock) : IRequestHandler<LoginCommand, AuthResponse>
{
    private const string InvalidCredentials = "Invalid email or password";

    public async Task<AuthResponse> Handle(LoginCommand request, CancellationToken cancellationToken)
    {
        var address = AccountRules.NormalizeEmail(request.Email);
        var user = await identity.FindByEmailAsync(address, cancellationToken);
        if (user is null)
        {
            audit.Record(AuditActions.LoginFailed, null, address, details: new { reason = "unknown email" });
            await db.SaveChangesAsync(cancellationToken);
            throw new UnauthorizedException(InvalidCredentials);
        }

        var check = await identity.CheckPasswordAsync(user.Id, request.Password, cancellationToken);
        if (check.Outcome == PasswordCheckOutcome.LockedOut)
        {
            audit.Record(AuditActions.AccountLocked, user.Id, user.Email, "user", user.Id.ToString(), new { until = check.LockedUntil });
            await db.SaveChangesAsync(cancellationToken);
            var wait = (check.LockedUntil ?? clock.GetUtcNow().UtcDateTime) - clock.GetUtcNow().UtcDateTime;
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            throw new TooManyRequestsException(
                string.Create(CultureInfo.InvariantCulture, $"Account locked after too many failed logins; try again in {minutes} minute{(minutes == 1 ? string.Empty : "s")}"),
                wait > TimeSpan.Zero ? wait : TimeSpan.FromMinutes(1));
        }

        if (check.Outcome == PasswordCheckOutcome.WrongPassword)
        {
            audit.Record(AuditActions.LoginFailed, user.Id, user.Email, "user", user.Id.ToString(), new { reason = "wrong password" });
            await db.SaveChangesAsync(cancellationToken);
            throw new UnauthorizedException(InvalidCredentials);
        }

        // Only a caller who knows the password learns that the account is deactivated.
        if (!user.IsActive)
        {
            throw new ForbiddenAccessException("Account is deactivated");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await identity.RecordLoginAsync(user.Id, now, cancellationToken);
        audit.Record(AuditActions.LoginSucceeded, user.Id, user.Email, "user", user.Id.ToString());
        return await sessions.StartAsync(user with { LastLoginAt = now }, cancellationToken);
    }
}
