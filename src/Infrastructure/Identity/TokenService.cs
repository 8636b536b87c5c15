using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleanBackend.Infrastructure.Identity;

public sealed class TokenService(IOptions<JwtOptions> options, JwtSigningKey signingKey, TimeProvider clock) : ITokenService
{
    /// <summary>The claim that carries the user's security stamp; a changed stamp voids the token.</summary>
    public const string SecurityStampClaim = "sstamp";

    /// <summary>The session (refresh token family) the token was issued for; ending the session voids the token.</summary>
    public const string SessionClaim = "sid";

    /// <summary>Roles travel under the short JWT name, not the long WS-Federation URI.</summary>
    public const string RoleClaim = "role";

    private static readonly JsonWebTokenHandler Handler = new();

    public TimeSpan RefreshTokenLifetime => options.Value.RefreshTokenLifetime;

    public AccessToken CreateAccessToken(Guid userId, string email, IEnumerable<string> roles, string securityStamp, Guid sessionId)
    {
        var jwt = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = jwt.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, userId.ToString()),
            new(JwtRegisteredClaimNames.Email, email),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(SecurityStampClaim, securityStamp),
            new(SessionClaim, sessionId.ToString()),
        };
        claims.AddRange(roles.Select(role => new Claim(RoleClaim, role)));

        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, now + lifetime, (int)lifetime.TotalSeconds);
    }

    public string CreateOpaqueToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public string CreateNumericCode(int digits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 9);
        var upper = (int)Math.Pow(10, digits);
        return RandomNumberGenerator.GetInt32(upper).ToString(new string('0', digits), CultureInfo.InvariantCulture);
    }
}
