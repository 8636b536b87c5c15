namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Issues access tokens (JWT) and the opaque random secrets behind refresh tokens and codes.</summary>
public interface ITokenService
{
    /// <summary>An access token for one session (the refresh token family it belongs to).</summary>
    AccessToken CreateAccessToken(Guid userId, string email, IEnumerable<string> roles, string securityStamp, Guid sessionId);

    /// <summary>A URL-safe random secret of 256 bits.</summary>
    string CreateOpaqueToken();

    /// <summary>A uniformly random numeric code of the given number of digits.</summary>
    string CreateNumericCode(int digits);

    TimeSpan RefreshTokenLifetime { get; }
}

public sealed record AccessToken(string Token, DateTime ExpiresAt, int ExpiresInSeconds);
