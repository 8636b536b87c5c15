using System.Globalization;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Auth.Common;

internal static class VerificationCodeMail
{
    public static Task SendVerificationCodeAsync(this IEmailSender email, IEmailTemplates templates, string address, string name, string code, CancellationToken cancellationToken) =>
        email.SendAsync(
            templates.Render(EmailTemplateNames.VerificationCode, address, new Dictionary<string, string>
            {
                ["name"] = name,
                ["code"] = code,
                ["minutes"] = ((int)EmailVerification.Lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            }),
            cancellationToken);
}
