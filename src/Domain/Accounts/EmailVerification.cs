using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Accounts;

/// <summary>
/// A registration waiting for its e-mailed code. The code is kept hashed, expires, and a limited number
/// of wrong tries voids it; registering again issues a fresh code.
/// </summary>
public class EmailVerification : BaseEntity
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private EmailVerification()
    {
        Email = string.Empty;
        Name = string.Empty;
        PasswordHash = string.Empty;
        CodeHash = string.Empty;
    }

    public EmailVerification(string email, string name, string passwordHash, string codeHash, DateTime now)
    {
        Email = Guard.NotBlank(email, nameof(email), 256).ToLowerInvariant();
        Name = Guard.NotBlank(name, nameof(name), 100);
        PasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1000);
        CodeHash = Guard.NotBlank(codeHash, nameof(codeHash), 128);
        CreatedAt = now;
        ExpiresAt = now + Lifetime;
    }

    public string Email { get; private set; }

    public string Name { get; private set; }

    /// <summary>The password, already hashed by the identity system, applied when the code is verified.</summary>
    public string PasswordHash { get; private set; }

    public string CodeHash { get; private set; }

    public int FailedAttempts { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? VerifiedAt { get; private set; }

    public VerificationOutcome Verify(string code, DateTime now)
    {
        if (VerifiedAt is not null || FailedAttempts >= MaxAttempts)
        {
            return VerificationOutcome.TooManyAttempts;
        }

        if (now >= ExpiresAt)
        {
            return VerificationOutcome.Expired;
        }

        if (!SecretHash.Matches(code ?? string.Empty, CodeHash))
        {
            FailedAttempts++;
            return FailedAttempts >= MaxAttempts ? VerificationOutcome.TooManyAttempts : VerificationOutcome.WrongCode;
        }

        VerifiedAt = now;
        return VerificationOutcome.Verified;
    }

    /// <summary>Asked for again: a fresh code with a fresh lifetime and tries, for the details already given.</summary>
    public void ReissueCode(string codeHash, DateTime now) => Reissue(Name, PasswordHash, codeHash, now);

    /// <summary>A repeated registration replaces the details and the code and restarts the clock.</summary>
    public void Reissue(string name, string passwordHash, string codeHash, DateTime now)
    {
        if (VerifiedAt is not null)
        {
            throw new DomainException("This registration is already verified.");
        }

        // Every argument is checked before anything changes, so a bad call leaves the registration as it was.
        var validName = Guard.NotBlank(name, nameof(name), 100);
        var validPasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1000);
        var validCodeHash = Guard.NotBlank(codeHash, nameof(codeHash), 128);
        Name = validName;
        PasswordHash = validPasswordHash;
        CodeHash = validCodeHash;
        FailedAttempts = 0;
        CreatedAt = now;
        ExpiresAt = now + Lifetime;
    }
}
