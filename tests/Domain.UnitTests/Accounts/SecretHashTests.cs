using CleanBackend.Domain.Accounts;

namespace CleanBackend.Domain.UnitTests.Accounts;

public class SecretHashTests
{
    private const string AbcHash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Theory]
    [InlineData("abc", AbcHash)]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("123456", "8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92")]
    public void Of_IsLowerCaseHexSha256OfTheSecret(string secret, string expected)
    {
        SecretHash.Of(secret).ShouldBe(expected);
    }

    [Fact]
    public void Of_HashesTheUtf8BytesOfTheSecret()
    {
        SecretHash.Of("é").ShouldBe("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    [Fact]
    public void Of_IsSixtyFourLowerCaseHexDigits()
    {
        var hash = SecretHash.Of("correct horse battery staple");

        hash.Length.ShouldBe(64);
        hash.All(char.IsAsciiHexDigitLower).ShouldBeTrue();
    }

    [Fact]
    public void Of_IsDeterministic()
    {
        SecretHash.Of("token-value").ShouldBe(SecretHash.Of("token-value"));
    }

    [Fact]
    public void Of_IsCaseAndWhitespaceSensitive()
    {
        var hash = SecretHash.Of("abc");

        SecretHash.Of("ABC").ShouldNotBe(hash);
        SecretHash.Of(" abc").ShouldNotBe(hash);
        SecretHash.Of("abc ").ShouldNotBe(hash);
    }

    [Fact]
    public void Of_WhenSecretNull_ThrowsArgumentNullException()
    {
        var ex = Should.Throw<ArgumentNullException>(() => SecretHash.Of(null!));

        ex.ParamName.ShouldBe("secret");
    }

    [Fact]
    public void Matches_WhenHashIsOfTheSecret_IsTrue()
    {
        SecretHash.Matches("abc", AbcHash).ShouldBeTrue();
    }

    [Fact]
    public void Matches_RoundTripsWithOf()
    {
        SecretHash.Matches("123456", SecretHash.Of("123456")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("abd")]
    [InlineData("ABC")]
    [InlineData("abc ")]
    [InlineData("")]
    public void Matches_WhenSecretDiffers_IsFalse(string secret)
    {
        SecretHash.Matches(secret, AbcHash).ShouldBeFalse();
    }

    [Theory]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    [InlineData("")]
    [InlineData("abc")]
    public void Matches_WhenHashIsNotExactlyTheLowerCaseHash_IsFalse(string hash)
    {
        SecretHash.Matches("abc", hash).ShouldBeFalse();
    }

    [Fact]
    public void Matches_WhenSecretNull_ThrowsArgumentNullException()
    {
        _ = Should.Throw<ArgumentNullException>(() => SecretHash.Matches(null!, AbcHash));
    }

    [Fact]
    public void Matches_WhenHashNull_ThrowsArgumentNullException()
    {
        _ = Should.Throw<ArgumentNullException>(() => SecretHash.Matches("abc", null!));
    }
}
