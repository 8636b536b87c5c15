using CleanBackend.Infrastructure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleanBackend.Infrastructure.IntegrationTests.Identity;

public sealed class TokenServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly JwtOptions _options = new() { Secret = "0123456789abcdef0123456789abcdef-test", ExpiresIn = "15m", RefreshTokenExpiresIn = "7d" };

    [Fact]
    public async Task CreateAccessToken_CarriesUserEmailRolesAndStamp_AndValidatesWithTheSharedKey()
    {
        var key = new JwtSigningKey(Options.Create(_options), NullLogger<JwtSigningKey>.Instance);
        var service = new TokenService(Options.Create(_options), key, new FakeTimeProvider(Now));
        var userId = Guid.CreateVersion7();

        var sessionId = Guid.CreateVersion7();

        var token = service.CreateAccessToken(userId, "ada@example.com", ["user", "admin"], "stamp-1", sessionId);

        token.ExpiresInSeconds.ShouldBe(900);
        token.ExpiresAt.ShouldBe(Now.UtcDateTime.AddMinutes(15));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Token, new TokenValidationParameters
        {
            ValidIssuer = "cleanbackend",
            ValidAudience = "cleanbackend",
            IssuerSigningKey = key.Key,
            ValidateLifetime = false,
        });
        result.IsValid.ShouldBeTrue();
        var jwt = (JsonWebToken)result.SecurityToken;
        jwt.Subject.ShouldBe(userId.ToString());
        jwt.GetClaim("email").Value.ShouldBe("ada@example.com");
        jwt.GetClaim(TokenService.SecurityStampClaim).Value.ShouldBe("stamp-1");
        jwt.GetClaim(TokenService.SessionClaim).Value.ShouldBe(sessionId.ToString());
        jwt.Claims.Where(c => c.Type == TokenService.RoleClaim).Select(c => c.Value).ShouldBe(["user", "admin"]);
        jwt.ValidTo.ShouldBe(Now.UtcDateTime.AddMinutes(15));
    }

    [Fact]
    public async Task CreateAccessToken_IsRejectedUnderAnotherKey()
    {
        var service = new TokenService(Options.Create(_options), new JwtSigningKey(Options.Create(_options), NullLogger<JwtSigningKey>.Instance), new FakeTimeProvider(Now));
        var otherKey = new JwtSigningKey(Options.Create(new JwtOptions()), NullLogger<JwtSigningKey>.Instance);

        var token = service.CreateAccessToken(Guid.CreateVersion7(), "ada@example.com", ["user"], "s", Guid.CreateVersion7());

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Token, new TokenValidationParameters
        {
            ValidIssuer = "cleanbackend",
            ValidAudience = "cleanbackend",
            IssuerSigningKey = otherKey.Key,
            ValidateLifetime = false,
        });
        result.IsValid.ShouldBeFalse();
    }

    [Fact]
    public void CreateNumericCode_GivesTheRequestedNumberOfDigits()
    {
        var service = new TokenService(Options.Create(_options), new JwtSigningKey(Options.Create(_options), NullLogger<JwtSigningKey>.Instance), TimeProvider.System);

        var codes = Enumerable.Range(0, 200).Select(_ => service.CreateNumericCode(6)).ToList();

        codes.ShouldAllBe(code => code.Length == 6 && code.All(char.IsAsciiDigit));
        codes.Distinct().Count().ShouldBeGreaterThan(150);
    }

    [Fact]
    public void CreateOpaqueToken_IsUrlSafeAndUnique()
    {
        var service = new TokenService(Options.Create(_options), new JwtSigningKey(Options.Create(_options), NullLogger<JwtSigningKey>.Instance), TimeProvider.System);

        var tokens = Enumerable.Range(0, 100).Select(_ => service.CreateOpaqueToken()).ToList();

        tokens.ShouldAllBe(token => token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
        tokens.Distinct().Count().ShouldBe(100);
        service.RefreshTokenLifetime.ShouldBe(TimeSpan.FromDays(7));
    }
}
