using System.Buffers.Text;
using System.Security.Cryptography;
using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.ApiKeys;

/// <summary>
/// A personal API key: a secret that authenticates as its owner, limited to its scopes. Only a SHA-256 hash of the
/// secret is kept; the secret is shown once, when the key is created, and its prefix identifies it afterwards.
/// </summary>
public class ApiKey : BaseEntity
{
    public const int NameMaxLength = 100;

    /// <summary>How many unrevoked keys one user may hold.</summary>
    public const int MaxActivePerUser = 10;

    /// <summary>Every secret starts with this, so a request's credential tells a key from a token at a glance.</summary>
    public const string SecretStart = "cbk_";

    /// <summary>Random characters of the secret shown in its prefix.</summary>
    public const int PrefixRandomLength = 8;

    public const int PrefixMaxLength = 20;

    /// <summary>Random bytes of a secret: 256 bits, 43 base64url characters.</summary>
    private const int SecretBytes = 32;

    private ApiKey()
    {
        Name = string.Empty;
        Prefix = string.Empty;
        SecretHash = string.Empty;
    }

    private ApiKey(Guid userId, string name, string prefix, string secretHash, IReadOnlyList<string> scopes, ApiKeyMode mode, DateTime now, DateTime? expiresAt)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        Name = Guard.NotBlank(name, nameof(name), NameMaxLength);
        Prefix = prefix;
        SecretHash = secretHash;
        Scopes = [.. scopes];
        Mode = mode;
        CreatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid UserId { get; private set; }

    public string Name { get; private set; }

    /// <summary>The start of the secret (<c>cbk_live_AbCd1234</c>), enough to tell the owner's keys apart.</summary>
    public string Prefix { get; private set; }

    public string SecretHash { get; private set; }

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public ApiKeyMode Mode { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the key last authenticated a request, recorded in batches (so up to a minute late).</summary>
    public DateTime? LastUsedAt { get; private set; }

    public DateTime? ExpiresAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTime now) => ExpiresAt is { } expires && now >= expires;

    /// <summary>Whether the key may authenticate a request at <paramref name="now"/>.</summary>
    public bool IsUsableAt(DateTime now) => !IsRevoked && !IsExpired(now);

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// A new key for <paramref name="userId"/>, who holds <paramref name="activeKeys"/> unrevoked keys already; the
    /// secret is returned beside it and kept nowhere.
    /// </summary>
    public static (ApiKey Key, string Secret) Create(
        Guid userId, string name, IEnumerable<string> scopes, ApiKeyMode mode, DateTime? expiresAt, int activeKeys, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (activeKeys >= MaxActivePerUser)
        {
            throw new DomainException($"You already have {MaxActivePerUser} API keys, the most one user may hold; revoke one first.");
        }

        var validScopes = scopes.Distinct(StringComparer.Ordinal).ToList();
        if (validScopes.Count == 0)
        {
            throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        }

        if (validScopes.FirstOrDefault(s => !ApiKeyScopes.IsKnown(s)) is { } unknown)
        {
            throw new ArgumentException($"Unknown scope '{unknown}'.", nameof(scopes));
        }

        if (expiresAt is { } expires && expires <= now)
        {
            throw new ArgumentException("A key must expire in the future.", nameof(expiresAt));
        }

        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        var secret = NewSecret(mode);
        var prefix = secret[..(ModeStart(mode).Length + PrefixRandomLength)];
        var orderedScopes = ApiKeyScopes.All.Where(validScopes.Contains).ToList();
        return (new ApiKey(userId, name, prefix, Accounts.SecretHash.Of(secret), orderedScopes, mode, now, expiresAt), secret);
    }

    /// <summary>Whether <paramref name="credential"/> has the shape of a key's secret (it may still be no key at all).</summary>
    public static bool LooksLikeSecret(string? credential) => credential is not null && credential.StartsWith(SecretStart, StringComparison.Ordinal);

    /// <summary>Notes a use; uses reported late (batches of several instances) never move it back.</summary>
    public void RecordUse(DateTime at)
    {
        if (LastUsedAt is null || at > LastUsedAt)
        {
            LastUsedAt = at;
        }
    }

    /// <summary>Stops the key for good; revoking it again changes nothing.</summary>
    public void Revoke(DateTime now)
    {
        RevokedAt ??= now;
    }

    private static string ModeStart(ApiKeyMode mode) => SecretStart + (mode == ApiKeyMode.Test ? "test_" : "live_");

    private static string NewSecret(ApiKeyMode mode)
    {
        Span<byte> random = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(random);
        return ModeStart(mode) + Base64Url.EncodeToString(random);
    }
}
