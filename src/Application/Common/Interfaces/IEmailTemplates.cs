namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Builds an e-mail (plain text and HTML) from a named template and its values.</summary>
public interface IEmailTemplates
{
    /// <param name="template">The template's name, e.g. <c>verification-code</c> or <c>password-reset</c>.</param>
    /// <param name="to">The recipient's address.</param>
    /// <param name="values">The placeholders' values; each is HTML-encoded in the HTML body.</param>
    EmailMessage Render(string template, string to, IReadOnlyDictionary<string, string> values);
}

public static class EmailTemplateNames
{
    /// <summary>Values: name, code, minutes.</summary>
    public const string VerificationCode = "verification-code";

    /// <summary>Values: name, link, minutes.</summary>
    public const string PasswordReset = "password-reset";

    /// <summary>Values: name, prompt, outcome ("is ready" or "failed"), details.</summary>
    public const string JobFinished = "job-finished";

    /// <summary>Values: name, url, reason.</summary>
    public const string WebhookDisabled = "webhook-disabled";
}
