using CleanBackend.Application.Auth.Common;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Commands.ResendRegistrationCode;

/// <summary>
/// E-mails a fresh code for a registration that is still waiting for one (the earlier code stops working). The answer
/// is the same whether or not such a registration exists, so the call tells nobody which addresses are signing up.
/// </summary>
public sealed record ResendRegistrationCodeCommand(string Email) : IRequest<OkResponse>;

public sealed class ResendRegistrationCodeCommandValidator : AbstractValidator<ResendRegistrationCodeCommand>
{
    public ResendRegistrationCodeCommandValidator()
    {
        RuleFor(x => x.Email).AccountEmail();
    }
}

public sealed class ResendRegistrationCodeCommandHandler(
    IApplicationDbContext db,
    ITokenService tokens,
    IEmailSender email,
    IEmailTemplates templates,
    TimeProvider clock) : IRequestHandler<ResendRegistrationCodeCommand, OkResponse>
{
    public const string Message = "If a registration is waiting for that email, a new verification code has been sent";

    public async Task<OkResponse> Handle(ResendRegistrationCodeCommand request, CancellationToken cancellationToken)
    {
        var address = AccountRules.NormalizeEmail(request.Email);
        var pending = await db.EmailVerifications.SingleOrDefaultAsync(v => v.Email == address && v.VerifiedAt == null, cancellationToken);
        if (pending is null)
        {
            return new OkResponse(true, Message);
        }

        var code = tokens.CreateNumericCode(6);
        pending.ReissueCode(SecretHash.Of(code), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await email.SendVerificationCodeAsync(templates, address, pending.Name, code, cancellationToken);
        return new OkResponse(true, Message);
    }
}
