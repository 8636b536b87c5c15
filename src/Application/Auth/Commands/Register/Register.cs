using CleanBackend.Application.Auth.Common;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Commands.Register;

/// <summary>First step of registration: remembers the details and e-mails a 6-digit code. Again for an unverified e-mail: a fresh code.</summary>
public sealed record RegisterCommand(string Email, string Password, string Name) : IRequest<OkResponse>;

public sealed class RegisterCommandValidator : AbstractValidator<RegisterCommand>
{
    public RegisterCommandValidator()
    {
        RuleFor(x => x.Email).AccountEmail();
        RuleFor(x => x.Password).StrongPassword();
        RuleFor(x => x.Name).NotEmpty().MaximumLength(AccountRules.NameMaxLength);
    }
}

public sealed class RegisterCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    ITokenService tokens,
    IEmailSender email,
    IEmailTemplates templates,
    TimeProvider clock) : IRequestHandler<RegisterCommand, OkResponse>
{
    public async Task<OkResponse> Handle(RegisterCommand request, CancellationToken cancellationToken)
    {
        var address = AccountRules.NormalizeEmail(request.Email);
        if (await identity.FindByEmailAsync(address, cancellationToken) is not null)
        {
            throw new ConflictException("Email already registered");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var code = tokens.CreateNumericCode(6);
        var passwordHash = identity.HashPassword(request.Password);
        var name = request.Name.Trim();
        var pending = await db.EmailVerifications.SingleOrDefaultAsync(v => v.Email == address, cancellationToken);
        if (pending is null)
        {
            db.EmailVerifications.Add(new EmailVerification(address, name, passwordHash, SecretHash.Of(code), now));
        }
        else
        {
            pending.Reissue(name, passwordHash, SecretHash.Of(code), now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Two registrations of one address at the same moment: the unique index let one through.
            throw new ConflictException("A registration for this email is already in progress; try again.", ex);
        }

        await email.SendVerificationCodeAsync(templates, address, name, code, cancellationToken);
        return new OkResponse(true, "Verification code sent to email");
    }
}
