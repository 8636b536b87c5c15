using System.Globalization;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Options;
using CleanBackend.Application.Common.Security;
using CleanBackend.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace CleanBackend.Application.Auth.Commands.RequestPasswordReset;

/// <summary>E-mails a one-time reset link. The answer is the same whether or not the address has an account.</summary>
public sealed record RequestPasswordResetCommand(string Email) : IRequest<OkResponse>;

public sealed class RequestPasswordResetCommandValidator : AbstractValidator<RequestPasswordResetCommand>
{
    public RequestPasswordResetCommandValidator()
    {
        RuleFor(x => x.Email).AccountEmail();
    }
}

public sealed class RequestPasswordResetCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    ITokenService tokens,
    IEmailSender email,
    IEmailTemplates templates,
    AuditTrail audit,
    IOptions<AppOptions> app,
    TimeProvider clock) : IRequestHandler<RequestPasswordResetCommand, OkResponse>
{
    public const string Message = "If that email is registered, a password reset link has been sent";

    public async Task<OkResponse> Handle(RequestPasswordResetCommand request, CancellationToken cancellationToken)
    {
        var user = await identity.FindByEmailAsync(AccountRules.NormalizeEmail(request.Email), cancellationToken);
        if (user is not { IsActive: true })
        {
            return new OkResponse(true, Message);
        }

        var secret = tokens.CreateOpaqueToken();
        db.PasswordResets.Add(new PasswordReset(user.Id, SecretHash.Of(secret), clock.GetUtcNow().UtcDateTime));
        audit.Record(AuditActions.PasswordResetRequested, user.Id, user.Email, "user", user.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);

        var link = $"{app.Value.FrontendUrl.TrimEnd('/')}/reset-password?token={Uri.EscapeDataString(secret)}";
        await email.SendAsync(
            templates.Render(EmailTemplateNames.PasswordReset, user.Email, new Dictionary<string, string>
            {
                ["name"] = user.Name,
                ["link"] = link,
                ["minutes"] = ((int)PasswordReset.Lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            }),
            cancellationToken);
        return new OkResponse(true, Message);
    }
}
