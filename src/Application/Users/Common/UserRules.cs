using System.Text.Json;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Users.Common;

public static class UserRules
{
    public const int SettingsMaxLength = 10_000;

    public static bool IsAdmin(this IUser user) => user.Roles.Contains(Roles.Admin);

    public static bool IsModerator(this IUser user) => user.Roles.Contains(Roles.Moderator);

    /// <summary>A settings patch stays small: it is stored as one JSON object.</summary>
    public static bool IsSmallEnough(IReadOnlyDictionary<string, JsonElement>? settings) =>
        settings is null || JsonSerializer.Serialize(settings).Length <= SettingsMaxLength;
}
