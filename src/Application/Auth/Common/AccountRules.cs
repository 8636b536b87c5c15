namespace CleanBackend.Application.Auth.Common;

/// <summary>The input rules every account use case shares.</summary>
public static class AccountRules
{
    public const int PasswordMinLength = 8;
    public const int PasswordMaxLength = 128;
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 256;

    /// <summary>At least 8 characters with a letter and a digit.</summary>
    public static IRuleBuilderOptions<T, string> StrongPassword<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty()
            .MinimumLength(PasswordMinLength)
            .MaximumLength(PasswordMaxLength)
            .Must(p => p is null || p.Any(char.IsLetter)).WithMessage("Password must contain at least one letter.")
            .Must(p => p is null || p.Any(char.IsDigit)).WithMessage("Password must contain at least one digit.");

    public static IRuleBuilderOptions<T, string> AccountEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(EmailMaxLength).EmailAddress();

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
