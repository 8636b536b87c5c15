using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Accounts;

/// <summary>
/// One refresh token of a login session. Every token issued from one login shares a family; using a
/// token replaces it with a new one of the same family, and presenting a replaced token again is reuse.
/// </summary>
public class RefreshToken : BaseEntity
{
    public const int UserAgentMaxLength = 500;
    public const int IpAddressMaxLength = 64;

    private RefreshToken()
    {
        TokenHash = string.Empty;
    }

    private RefreshToken(Guid userId, string tokenHash, Guid familyId, DateTime now, TimeSpan lifetime, string? ipAddress, string? userAgent)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A refresh token must live for some time.");
        }

        UserId = Guard.NotEmpty(userId, nameof(userId));
        TokenHash = Guard.NotBlank(tokenHash, nameof(tokenHash), 128);
        FamilyId = familyId;
        CreatedAt = now;
        LastUsedAt = now;
        ExpiresAt = now + lifetime;
        IpAddress = Guard.Truncate(ipAddress, IpAddressMaxLength);
        UserAgent = Guard.Truncate(userAgent, UserAgentMaxLength);
    }

    public Guid UserId { get; private set; }

    public string TokenHash { get; private set; }

    /// <summary>The login session this token belongs to; the session's id as the user sees it.</summary>
    public Guid FamilyId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime LastUsedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public string? RevokedReason { get; private set; }

    public Guid? ReplacedByTokenId { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public bool IsExpired(DateTime now) => now >= ExpiresAt;

    public bool IsRevoked => RevokedAt is not null;

    public bool IsActive(DateTime now) => !IsRevoked && !IsExpired(now);

    /// <summary>A token that was already exchanged for a new one: presenting it again means it was stolen.</summary>
    public bool WasRotated => ReplacedByTokenId is not null;

    /// <summary>Starts a new login session.</summary>
    public static RefreshToken IssueForLogin(Guid userId, string tokenHash, DateTime now, TimeSpan lifetime, string? ipAddress, string? userAgent) =>
        new(userId, tokenHash, Guid.CreateVersion7(), now, lifetime, ipAddress, userAgent);

    /// <summary>Exchanges this token for its successor in the same family; this one stops working.</summary>
    public RefreshToken Rotate(string newTokenHash, DateTime now, TimeSpan lifetime, string? ipAddress, string? userAgent)
    {
        if (!IsActive(now))
        {
            throw new DomainException("Only an active refresh token can be rotated.");
        }

        var successor = new RefreshToken(UserId, newTokenHash, FamilyId, now, lifetime, ipAddress, userAgent)
        {
            CreatedAt = CreatedAt,
        };
        ReplacedByTokenId = successor.Id;
        LastUsedAt = now;
        Revoke("rotated", now);
        return successor;
    }

    public void Revoke(string reason, DateTime now)
    {
        var validReason = Guard.NotBlank(reason, nameof(reason), 100);
        if (IsRevoked)
        {
            return;
        }

        RevokedAt = now;
        RevokedReason = validReason;
    }
}
