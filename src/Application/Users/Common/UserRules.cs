using System.Text.Json;

namespace CleanBackend.Application.Users.Common;

public static class UserRules
{
    public static readonly IReadOnlyList<string> Roles = ["user", "admin", "moderator"];

    public const int SettingsMaxLength = 10_000;

    public static bool IsAdmin(this IUser user) => user.Roles.Contains("admin");

    public static bool IsModerator(this IUser user) => user.Roles.Contains("moderator");

    /// <summary>A settings patch stays small: it is stored as one JSON object.</summary>
    public static bool IsSmallEnough(IReadOnlyDictionary<string, JsonElement>? settings) =>
        settings is null || JsonSerializer.Serialize(settings).Length <= SettingsMaxLength;
}
