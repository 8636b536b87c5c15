using CleanBackend.Domain.ApiKeys;

namespace CleanBackend.Application.ApiKeys.Common;

/// <summary>A key as its owner sees it in the list; the secret is never shown again.</summary>
/// <param name="Id">The key's id (for DELETE /api/api-keys/{id}).</param>
/// <param name="Name">What the owner called it.</param>
/// <param name="Prefix">The start of the secret (<c>cbk_live_AbCd1234</c>), to recognise it.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Mode">Live, or test (built-in generator, no cost).</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working by itself, if ever.</param>
/// <param name="LastUsedAt">When it last authenticated a request (recorded within about a minute).</param>
public sealed record ApiKeyDto(
    Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, ApiKeyMode Mode, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt)
{
    public static ApiKeyDto From(ApiKey key) =>
        new(key.Id, key.Name, key.Prefix, key.Scopes, key.Mode, key.CreatedAt, key.ExpiresAt, key.LastUsedAt);
}

/// <summary>A new key with its secret, shown this once.</summary>
/// <param name="Id">The key's id (for DELETE /api/api-keys/{id}).</param>
/// <param name="Name">What the owner called it.</param>
/// <param name="Prefix">The start of the secret, to recognise it later.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Mode">Live, or test (built-in generator, no cost).</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working by itself, if ever.</param>
/// <param name="LastUsedAt">Always null for a new key.</param>
/// <param name="Secret">The whole secret (<c>cbk_live_...</c>): send it as <c>Authorization: Bearer</c> or <c>X-API-Key</c>. Only its hash is kept.</param>
public sealed record ApiKeyCreatedDto(
    Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, ApiKeyMode Mode, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, string Secret);
