using CleanBackend.Application.Common.Exceptions;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>The caller of the current request.</summary>
public interface IUser
{
    /// <summary>The authenticated user's id, or null for an anonymous caller.</summary>
    Guid? Id { get; }

    IReadOnlyList<string> Roles { get; }

    /// <summary>The session (refresh token family) the caller's access token belongs to.</summary>
    Guid? SessionId { get; }

    string? Email { get; }

    string? IpAddress { get; }

    string? UserAgent { get; }

    /// <summary>The API key the caller authenticated with, or null for a signed-in session.</summary>
    Guid? ApiKeyId { get; }

    /// <summary>The caller uses a test API key: its jobs run on the built-in generator and cost nothing.</summary>
    bool IsTestMode { get; }
}

public static class UserExtensions
{
    /// <summary>The caller's id; use cases that need a signed-in user fail with 401 without one.</summary>
    public static Guid RequiredId(this IUser user) => user.Id ?? throw new UnauthorizedException();
}
