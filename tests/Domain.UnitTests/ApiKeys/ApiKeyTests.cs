using System.Text.RegularExpressions;
using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.ApiKeys;
using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.UnitTests.ApiKeys;

public partial class ApiKeyTests
{
    private static readonly Guid Owner = Guid.CreateVersion7();
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static (ApiKey Key, string Secret) NewKey(ApiKeyMode mode = ApiKeyMode.Live, DateTime? expiresAt = null, int activeKeys = 0, params string[] scopes) =>
        ApiKey.Create(Owner, "CI", scopes.Length == 0 ? [ApiKeyScopes.JobsRead] : scopes, mode, expiresAt, activeKeys, Now);

    [Fact]
    public void Create_LiveKey_HasALiveSecretOf256Bits_WhoseHashAloneIsKept()
    {
        var (key, secret) = NewKey();

        LiveSecret().IsMatch(secret).ShouldBeTrue(secret);
        Convert.FromBase64String(secret[9..].Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32);
        key.Prefix.ShouldBe(secret[..17]);
        key.SecretHash.ShouldBe(SecretHash.Of(secret));
        (key.UserId, key.Name, key.Mode, key.CreatedAt, key.LastUsedAt, key.ExpiresAt, key.RevokedAt)
            .ShouldBe((Owner, "CI", ApiKeyMode.Live, Now, (DateTime?)null, (DateTime?)null, (DateTime?)null));
    }

    [Fact]
    public void Create_TestKey_HasATestSecret()
    {
        var (key, secret) = NewKey(ApiKeyMode.Test);

        secret.ShouldStartWith("cbk_test_");
        key.Prefix.ShouldBe(secret[..17]);
        key.Mode.ShouldBe(ApiKeyMode.Test);
    }

    [Fact]
    public void Create_TwoKeys_HaveDifferentSecrets()
    {
        NewKey().Secret.ShouldNotBe(NewKey().Secret);
    }

    [Fact]
    public void Create_KeepsKnownScopesOnceInTheirOrder()
    {
        var (key, _) = NewKey(scopes: [ApiKeyScopes.UsageRead, ApiKeyScopes.JobsRead, ApiKeyScopes.UsageRead]);

        key.Scopes.ShouldBe([ApiKeyScopes.JobsRead, ApiKeyScopes.UsageRead]);
        key.HasScope(ApiKeyScopes.JobsRead).ShouldBeTrue();
        key.HasScope(ApiKeyScopes.JobsWrite).ShouldBeFalse();
    }

    [Fact]
    public void Scopes_AreTheSevenOfTheContract()
    {
        ApiKeyScopes.All.ShouldBe(["jobs:read", "jobs:write", "assets:read", "assets:write", "chats:read", "chats:write", "usage:read"]);
        ApiKeyScopes.IsKnown("admin").ShouldBeFalse();
        ApiKeyScopes.IsKnown("JOBS:READ").ShouldBeFalse();
    }

    [Fact]
    public void Create_WithAnUnknownScope_Throws()
    {
        Should.Throw<ArgumentException>(() => NewKey(scopes: [ApiKeyScopes.JobsRead, "admin"])).Message.ShouldStartWith("Unknown scope 'admin'.");
    }

    [Fact]
    public void Create_WithoutScopes_Throws()
    {
        Should.Throw<ArgumentException>(() => ApiKey.Create(Owner, "CI", [], ApiKeyMode.Live, null, 0, Now)).Message.ShouldStartWith("A key needs at least one scope.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithoutAName_Throws(string name)
    {
        Should.Throw<ArgumentException>(() => ApiKey.Create(Owner, name, [ApiKeyScopes.JobsRead], ApiKeyMode.Live, null, 0, Now));
    }

    [Fact]
    public void Create_WithANameOver100Characters_Throws()
    {
        Should.Throw<ArgumentException>(() => ApiKey.Create(Owner, new string('n', 101), [ApiKeyScopes.JobsRead], ApiKeyMode.Live, null, 0, Now));
    }

    [Fact]
    public void Create_ExpiringNowOrBefore_Throws()
    {
        Should.Throw<ArgumentException>(() => NewKey(expiresAt: Now)).Message.ShouldStartWith("A key must expire in the future.");
    }

    [Fact]
    public void Create_WhenTheOwnerHoldsTenKeys_IsRefused()
    {
        NewKey(activeKeys: 9).Key.ShouldNotBeNull();

        Should.Throw<DomainException>(() => NewKey(activeKeys: 10))
            .Message.ShouldBe("You already have 10 API keys, the most one user may hold; revoke one first.");
    }

    [Fact]
    public void IsUsableAt_UntilItsExpiry()
    {
        var (key, _) = NewKey(expiresAt: Now.AddDays(1));

        key.IsUsableAt(Now.AddDays(1).AddTicks(-1)).ShouldBeTrue();
        key.IsUsableAt(Now.AddDays(1)).ShouldBeFalse();
        key.IsExpired(Now.AddDays(1)).ShouldBeTrue();
    }

    [Fact]
    public void IsUsableAt_WithoutExpiry_IsForever()
    {
        NewKey().Key.IsUsableAt(Now.AddYears(50)).ShouldBeTrue();
    }

    [Fact]
    public void Revoke_StopsTheKey_AndKeepsTheFirstTime()
    {
        var (key, _) = NewKey();

        key.Revoke(Now.AddHours(1));
        key.Revoke(Now.AddHours(2));

        key.RevokedAt.ShouldBe(Now.AddHours(1));
        key.IsRevoked.ShouldBeTrue();
        key.IsUsableAt(Now.AddHours(1)).ShouldBeFalse();
    }

    [Fact]
    public void RecordUse_OnlyMovesForward()
    {
        var (key, _) = NewKey();

        key.RecordUse(Now.AddMinutes(5));
        key.RecordUse(Now.AddMinutes(2));

        key.LastUsedAt.ShouldBe(Now.AddMinutes(5));
    }

    [Theory]
    [InlineData("cbk_live_abc", true)]
    [InlineData("cbk_test_abc", true)]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.sig", false)]
    [InlineData(null, false)]
    public void LooksLikeSecret_TellsKeysFromTokens(string? credential, bool expected)
    {
        ApiKey.LooksLikeSecret(credential).ShouldBe(expected);
    }

    [GeneratedRegex("^cbk_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex LiveSecret();
}
