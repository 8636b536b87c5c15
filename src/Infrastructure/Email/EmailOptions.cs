using System.Net.Mail;
using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.Email;

public sealed class EmailOptions
{
    public const string SectionName = "Email";
    public const string DefaultFrom = "CleanBackend <no-reply@cleanbackend.local>";

    /// <summary>SMTP_HOST: the SMTP server; when unset, e-mails are written as .eml files to <see cref="PickupDirectory"/>.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>SMTP_PORT: the SMTP server's port.</summary>
    public int SmtpPort { get; set; } = 587;

    /// <summary>EMAIL_USER: the SMTP user name; no authentication when unset.</summary>
    public string? User { get; set; }

    /// <summary>EMAIL_PASS: the SMTP password.</summary>
    public string? Password { get; set; }

    /// <summary>EMAIL_FROM: the sender, an address with an optional display name.</summary>
    public string From { get; set; } = DefaultFrom;

    /// <summary>
    /// Upgrade the connection with STARTTLS. When unset: <c>true</c> when <see cref="SmtpPort"/> is 465 or 587,
    /// else <c>false</c> (see <see cref="UseSsl"/>). System.Net.Mail only speaks STARTTLS, so a server that wants
    /// implicit TLS from the first byte (usually port 465) cannot be used; prefer its port 587.
    /// </summary>
    public bool? EnableSsl { get; set; }

    /// <summary>The folder of the .eml files when no SMTP_HOST is set; relative paths start at the working directory.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    /// <summary>Tries per e-mail, the first included, before it is dropped (transient SMTP failures only).</summary>
    public int MaxAttempts { get; set; } = 4;

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(SmtpHost);

    public bool UseSsl => EnableSsl ?? SmtpPort is 465 or 587;
}

internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new OptionsErrors();
        // Only plain mistakes (a URL, spaces): Docker-style names such as mail_relay must pass.
        if (options.UsesSmtp && (options.SmtpHost!.Trim().Any(char.IsWhiteSpace) || options.SmtpHost.Contains('/', StringComparison.Ordinal)))
        {
            errors.Add("SMTP_HOST", $"'{options.SmtpHost}' is not a host name or IP address.");
        }

        if (options.SmtpPort is < 1 or > 65535)
        {
            errors.Add("SMTP_PORT", $"{options.SmtpPort} is not a TCP port (1-65535).");
        }

        if (!MailAddress.TryCreate(options.From, out _))
        {
            errors.Add("EMAIL_FROM", $"'{options.From}' is not an e-mail address.");
        }

        if (options.UsesSmtp && !string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password))
        {
            errors.Add("EMAIL_PASS", "is required when EMAIL_USER is set.");
        }

        if (!options.UsesSmtp && string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            errors.Add("Email:PickupDirectory", "is required when no SMTP_HOST is set.");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            errors.Add("Email:MaxAttempts", $"{options.MaxAttempts} is not between 1 and 20.");
        }

        return errors.ToResult();
    }
}
