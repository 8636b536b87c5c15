using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Accounts;

/// <summary>A password reset token, kept hashed, valid for an hour and usable once.</summary>
public class PasswordReset : BaseEntity
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private PasswordReset()
    {
        TokenHash = string.Empty;
    }

    public PasswordReset(Guid userId, string tokenHash, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        TokenHash = Guard.NotBlank(tokenHash, nameof(tokenHash), 128);
        CreatedAt = now;
        ExpiresAt = now + Lifetime;
    }

    public Guid UserId { get; private set; }

    public string TokenHash { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? UsedAt { get; private set; }

    public bool IsUsable(DateTime now) => UsedAt is null && now < ExpiresAt;

    /// <summary>Uses the token up; a used or expired token is refused.</summary>
    public void Redeem(DateTime now)
    {
        if (!IsUsable(now))
        {
            throw new DomainException("The reset token is invalid or has expired.");
        }

        UsedAt = now;
    }
}
