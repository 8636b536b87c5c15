namespace CleanBackend.Domain.Accounts;

/// <summary>The roles an account can hold, as they appear in tokens and on the wire.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
    public const string Moderator = "moderator";

    public static readonly IReadOnlyList<string> All = [User, Admin, Moderator];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    /// <summary>The message of a validator that rejects an unknown role.</summary>
    public static readonly string OneOfMessage = $"A role is one of {string.Join(", ", All)}.";
}
