namespace CleanBackend.Domain.ApiKeys;

/// <summary>What a key may be given: read or write access to one area of the API each.</summary>
public static class ApiKeyScopes
{
    public const string JobsRead = "jobs:read";
    public const string JobsWrite = "jobs:write";
    public const string AssetsRead = "assets:read";
    public const string AssetsWrite = "assets:write";
    public const string ChatsRead = "chats:read";
    public const string ChatsWrite = "chats:write";
    public const string UsageRead = "usage:read";

    public static IReadOnlyList<string> All { get; } = [JobsRead, JobsWrite, AssetsRead, AssetsWrite, ChatsRead, ChatsWrite, UsageRead];

    public static bool IsKnown(string? scope) => scope is not null && All.Contains(scope, StringComparer.Ordinal);
}
