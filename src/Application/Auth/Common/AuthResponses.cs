using System.Text.Json.Serialization;
using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Auth.Common;

/// <summary>The answer of a sign-in: an access token, its refresh token and the user.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Token">The access token (JWT) for the Authorization header.</param>
/// <param name="RefreshToken">The opaque refresh token; it works once.</param>
/// <param name="ExpiresIn">Seconds until the access token expires.</param>
/// <param name="User">The signed-in user.</param>
public sealed record AuthResponse(bool Ok, string Token, string RefreshToken, int ExpiresIn, UserDto User);

/// <summary>The answer of a refresh: a new access token and the refresh token that replaces the one sent.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Token">The new access token.</param>
/// <param name="RefreshToken">The new refresh token; the one sent stops working.</param>
/// <param name="ExpiresIn">Seconds until the access token expires.</param>
public sealed record TokenResponse(bool Ok, string Token, string RefreshToken, int ExpiresIn);

/// <summary>A plain acknowledgement.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record OkResponse(bool Ok, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);

/// <summary>The answer of logout-all.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Revoked">How many sessions ended.</param>
public sealed record LogoutAllResponse(bool Ok, int Revoked);
