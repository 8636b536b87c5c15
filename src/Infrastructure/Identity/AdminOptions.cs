using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>The administrator account made at start-up when both are set (ADMIN_EMAIL, ADMIN_PASSWORD).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrWhiteSpace(Password);
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new OptionsErrors();
        if (string.IsNullOrWhiteSpace(options.Email) != string.IsNullOrWhiteSpace(options.Password))
        {
            errors.Add(string.IsNullOrWhiteSpace(options.Email) ? "ADMIN_EMAIL" : "ADMIN_PASSWORD", "ADMIN_EMAIL and ADMIN_PASSWORD are set together or not at all.");
        }
        else if (options.IsConfigured)
        {
            if (!System.Net.Mail.MailAddress.TryCreate(options.Email, out _))
            {
                errors.Add("ADMIN_EMAIL", $"'{options.Email}' is not an e-mail address.");
            }

            var password = options.Password!;
            if (password.Length < 8 || !password.Any(char.IsLetter) || !password.Any(char.IsDigit))
            {
                errors.Add("ADMIN_PASSWORD", "must have at least 8 characters with a letter and a digit.");
            }
        }

        return errors.ToResult();
    }
}
