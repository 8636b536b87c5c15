using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.UnitTests.Accounts;

public class PasswordResetTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Expires = new(2026, 1, 1, 13, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = new(2026, 1, 1, 12, 30, 0, DateTimeKind.Utc);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly string TokenHash = SecretHash.Of("reset-token");

    private static PasswordReset NewReset() => new(UserId, TokenHash, Created);

    [Fact]
    public void Lifetime_IsOneHour()
    {
        PasswordReset.Lifetime.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void Constructor_SetsEverythingAndExpiresInOneHour()
    {
        var reset = new PasswordReset(UserId, TokenHash, Created);

        reset.Id.ShouldNotBe(Guid.Empty);
        reset.Id.Version.ShouldBe(7);
        reset.UserId.ShouldBe(UserId);
        reset.TokenHash.ShouldBe(TokenHash);
        reset.CreatedAt.ShouldBe(Created);
        reset.ExpiresAt.ShouldBe(Expires);
        reset.UsedAt.ShouldBeNull();
    }

    [Fact]
    public void Constructor_WhenUserIdEmpty_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => new PasswordReset(Guid.Empty, TokenHash, Created));

        ex.ParamName.ShouldBe("userId");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenTokenHashBlank_ThrowsArgumentException(string? tokenHash)
    {
        var ex = Should.Throw<ArgumentException>(() => new PasswordReset(UserId, tokenHash!, Created));

        ex.ParamName.ShouldBe("tokenHash");
    }

    [Fact]
    public void Constructor_AcceptsTokenHashOf128Characters()
    {
        var hash = new string('a', 128);

        var reset = new PasswordReset(UserId, hash, Created);

        reset.TokenHash.ShouldBe(hash);
    }

    [Fact]
    public void Constructor_WhenTokenHashTooLong_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => new PasswordReset(UserId, new string('a', 129), Created));

        ex.ParamName.ShouldBe("tokenHash");
    }

    [Fact]
    public void IsUsable_WhenNewAndBeforeExpiry_IsTrue()
    {
        var reset = NewReset();

        reset.IsUsable(Created).ShouldBeTrue();
        reset.IsUsable(Later).ShouldBeTrue();
        reset.IsUsable(Expires - TimeSpan.FromTicks(1)).ShouldBeTrue();
    }

    [Fact]
    public void IsUsable_AtExpiry_IsFalse()
    {
        NewReset().IsUsable(Expires).ShouldBeFalse();
    }

    [Fact]
    public void IsUsable_AfterExpiry_IsFalse()
    {
        NewReset().IsUsable(Expires.AddMinutes(1)).ShouldBeFalse();
    }

    [Fact]
    public void IsUsable_AfterRedeem_IsFalse()
    {
        var reset = NewReset();

        reset.Redeem(Later);

        reset.IsUsable(Later).ShouldBeFalse();
        reset.IsUsable(Created).ShouldBeFalse();
    }

    [Fact]
    public void Redeem_WhenUsable_RecordsUse()
    {
        var reset = NewReset();

        reset.Redeem(Later);

        reset.UsedAt.ShouldBe(Later);
        reset.ExpiresAt.ShouldBe(Expires);
        reset.CreatedAt.ShouldBe(Created);
    }

    [Fact]
    public void Redeem_JustBeforeExpiry_Succeeds()
    {
        var reset = NewReset();
        var lastMoment = Expires - TimeSpan.FromTicks(1);

        reset.Redeem(lastMoment);

        reset.UsedAt.ShouldBe(lastMoment);
    }

    [Fact]
    public void Redeem_WhenAlreadyRedeemed_ThrowsDomainExceptionAndKeepsFirstUse()
    {
        var reset = NewReset();
        reset.Redeem(Later);

        var ex = Should.Throw<DomainException>(() => reset.Redeem(Later.AddMinutes(1)));

        ex.Message.ShouldBe("The reset token is invalid or has expired.");
        reset.UsedAt.ShouldBe(Later);
    }

    [Fact]
    public void Redeem_AtExpiry_ThrowsDomainException()
    {
        var reset = NewReset();

        var ex = Should.Throw<DomainException>(() => reset.Redeem(Expires));

        ex.Message.ShouldBe("The reset token is invalid or has expired.");
        reset.UsedAt.ShouldBeNull();
    }

    [Fact]
    public void Redeem_AfterExpiry_ThrowsDomainException()
    {
        var reset = NewReset();

        _ = Should.Throw<DomainException>(() => reset.Redeem(Expires.AddDays(1)));

        reset.UsedAt.ShouldBeNull();
    }
}
