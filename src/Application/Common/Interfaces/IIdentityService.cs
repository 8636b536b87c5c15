namespace CleanBackend.Application.Common.Interfaces;

/// <summary>The accounts store (ASP.NET Core Identity behind it): users, passwords, roles, lockout.</summary>
public interface IIdentityService
{
    Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    Task<UserAccount?> FindByIdAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Hashes a password the way the store will verify it, for a registration that is not a user yet.</summary>
    string HashPassword(string password);

    /// <summary>Checks a password, counting failures towards lockout and clearing them on success.</summary>
    Task<PasswordCheck> CheckPasswordAsync(Guid userId, string password, CancellationToken cancellationToken);

    /// <summary>Creates a user whose e-mail is verified, from a password hash made by <see cref="HashPassword"/>.</summary>
    Task<UserAccount> CreateVerifiedUserAsync(string email, string name, string passwordHash, IReadOnlyList<string> roles, CancellationToken cancellationToken);

    /// <summary>Changes the password when the current one is right; false when it is not.</summary>
    Task<bool> ChangePasswordAsync(Guid userId, string currentPassword, string newPassword, CancellationToken cancellationToken);

    Task SetPasswordAsync(Guid userId, string newPassword, CancellationToken cancellationToken);

    /// <summary>Gives the user a new security stamp: every access token issued before stops working.</summary>
    Task InvalidateAccessTokensAsync(Guid userId, CancellationToken cancellationToken);

    Task RecordLoginAsync(Guid userId, DateTime at, CancellationToken cancellationToken);

    /// <summary>One page of users, newest first, filtered in the database.</summary>
    Task<PaginatedList<UserAccount>> ListAsync(UserListQuery query, CancellationToken cancellationToken);

    /// <summary>Creates a verified user with a password; an e-mail already taken is a conflict.</summary>
    Task<UserAccount> CreateUserAsync(string email, string name, string password, IReadOnlyList<string> roles, CancellationToken cancellationToken);

    /// <summary>Sets the name and writes the settings (a null value removes that setting).</summary>
    Task<UserAccount> UpdateProfileAsync(Guid userId, string? name, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? settings, CancellationToken cancellationToken);

    /// <summary>Deletes the user; their chats, jobs, assets rows and tokens go with them.</summary>
    Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Replaces the user's roles.</summary>
    Task<UserAccount> SetRolesAsync(Guid userId, IReadOnlyList<string> roles, CancellationToken cancellationToken);

    /// <summary>Deactivates or reactivates the user.</summary>
    Task<UserAccount> SetActiveAsync(Guid userId, bool isActive, CancellationToken cancellationToken);

    /// <summary>How many users there are, are active, are admins, and registered since <paramref name="registeredSince"/>.</summary>
    Task<UserTotals> CountAsync(DateTime registeredSince, CancellationToken cancellationToken);
}

/// <param name="Total">All users.</param>
/// <param name="Active">Users who can sign in.</param>
/// <param name="Admins">Users with the admin role.</param>
/// <param name="RegisteredSince">Users created since the time asked about.</param>
public sealed record UserTotals(int Total, int Active, int Admins, int RegisteredSince);

/// <param name="Page">Page number, from 1.</param>
/// <param name="Limit">Users per page.</param>
/// <param name="Search">Part of the e-mail or name.</param>
/// <param name="Role">Only users with this role.</param>
/// <param name="IsActive">Only active or only deactivated users.</param>
public sealed record UserListQuery(int Page, int Limit, string? Search = null, string? Role = null, bool? IsActive = null);

public sealed record UserAccount(
    Guid Id,
    string Email,
    string Name,
    IReadOnlyList<string> Roles,
    bool IsActive,
    bool EmailVerified,
    DateTime CreatedAt,
    DateTime? LastLoginAt,
    string SettingsJson,
    string SecurityStamp);

public enum PasswordCheckOutcome
{
    Success,
    WrongPassword,
    LockedOut,
}

/// <param name="Outcome">What the check found.</param>
/// <param name="LockedUntil">When a locked-out account opens again.</param>
public sealed record PasswordCheck(PasswordCheckOutcome Outcome, DateTime? LockedUntil = null);
