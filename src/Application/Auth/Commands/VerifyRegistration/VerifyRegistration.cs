using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Commands.VerifyRegistration;

/// <summary>Second step of registration: the e-mailed code turns the pending registration into a user, signed in.</summary>
public sealed record VerifyRegistrationCommand(string Email, string Code) : IRequest<AuthResponse>;

public sealed class VerifyRegistrationCommandValidator : AbstractValidator<VerifyRegistrationCommand>
{
    public VerifyRegistrationCommandValidator()
    {
        RuleFor(x => x.Email).AccountEmail();
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop).NotEmpty().Matches("^[0-9]{6}$").WithMessage("The code is 6 digits.");
    }
}

public sealed class VerifyRegistrationCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    SessionIssuer sessions,
    AuditTrail audit,
    TimeProvider clock) : IRequestHandler<VerifyRegistrationCommand, AuthResponse>
{
    public async Task<AuthResponse> Handle(VerifyRegistrationCommand request, CancellationToken cancellationToken)
    {
        var address = AccountRules.NormalizeEmail(request.Email);
        var pending = await db.EmailVerifications.SingleOrDefaultAsync(v => v.Email == address, cancellationToken)
            ?? throw new NotFoundException("No pending registration for this email");

        var outcome = pending.Verify(request.Code, clock.GetUtcNow().UtcDateTime);
        switch (outcome)
        {
            case VerificationOutcome.Expired:
                throw new GoneException("Verification code has expired; register again to get a new one");
            case VerificationOutcome.WrongCode:
                await db.SaveChangesAsync(cancellationToken);
                throw ValidationFailedException.ForField("code", "Invalid verification code");
            case VerificationOutcome.TooManyAttempts:
                await db.SaveChangesAsync(cancellationToken);
                throw new GoneException("Too many wrong codes; register again to get a new one");
        }

        if (await identity.FindByEmailAsync(address, cancellationToken) is not null)
        {
            db.EmailVerifications.Remove(pending);
            await db.SaveChangesAsync(cancellationToken);
            throw new ConflictException("Email already registered");
        }

        db.EmailVerifications.Remove(pending);
        var user = await identity.CreateVerifiedUserAsync(address, pending.Name, pending.PasswordHash, [Roles.User], cancellationToken);
        audit.Record(AuditActions.Registered, user.Id, user.Email, "user", user.Id.ToString());
        await identity.RecordLoginAsync(user.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return await sessions.StartAsync(user with { LastLoginAt = clock.GetUtcNow().UtcDateTime }, cancellationToken);
    }
}
