using System.Net.Mail;
using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.Email;

/// <summary>How the SMTP connection is secured; the names and meanings are MailKit's <c>SecureSocketOptions</c>.</summary>
public enum EmailSecurity
{
    /// <summary>TLS from the first byte on port 465, else STARTTLS when the server offers it.</summary>
    Auto,

    /// <summary>Plain text, even when the server offers STARTTLS.</summary>
    None,

    /// <summary>Implicit TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,

    /// <summary>STARTTLS, and fail when the server does not offer it.</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, else plain text.</summary>
    StartTlsWhenAvailable,
}

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

    /// <summary>TLS on the SMTP connection: implicit TLS (port 465), STARTTLS (587) or none.</summary>
    public EmailSecurity Security { get; set; } = EmailSecurity.Auto;

    /// <summary>
    /// The SHA-256 (or SHA-1) fingerprint of the SMTP server's certificate, hex with or without colons. When set,
    /// exactly that certificate is trusted (a self-signed one, say) and no other; when unset, the usual validation.
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>How long connecting and each read or write on the SMTP connection may take before the try fails.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>The folder of the .eml files when no SMTP_HOST is set; relative paths start at the working directory.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    /// <summary>Tries per e-mail, the first included, before it is dropped (transient SMTP failures only).</summary>
    public int MaxAttempts { get; set; } = 4;

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(SmtpHost);

    /// <summary><see cref="CertificateThumbprint"/> as upper-case hex without separators, or null when unset.</summary>
    public string? PinnedThumbprint => string.IsNullOrWhiteSpace(CertificateThumbprint)
        ? null
        : string.Concat(CertificateThumbprint.Where(c => c is not (':' or ' ' or '-'))).ToUpperInvariant();
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

        // The framework's parser, so that start-up does not load MimeKit when no e-mail is ever sent.
        if (!MailAddress.TryCreate(options.From, out _))
        {
            errors.Add("EMAIL_FROM", $"'{options.From}' is not an e-mail address.");
        }

        if (options.UsesSmtp && !string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password))
        {
            errors.Add("EMAIL_PASS", "is required when EMAIL_USER is set.");
        }

        if (!Enum.IsDefined(options.Security))
        {
            errors.Add("Email:Security", $"'{options.Security}' is not one of {string.Join(", ", Enum.GetNames<EmailSecurity>())}.");
        }

        if (options.PinnedThumbprint is { } thumbprint && (thumbprint.Length is not (40 or 64) || !thumbprint.All(char.IsAsciiHexDigit)))
        {
            errors.Add("Email:CertificateThumbprint", $"'{options.CertificateThumbprint}' is not a SHA-256 or SHA-1 fingerprint (64 or 40 hex digits).");
        }

        if (options.TimeoutSeconds is < 1 or > 600)
        {
            errors.Add("Email:TimeoutSeconds", $"{options.TimeoutSeconds} is not between 1 and 600.");
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
