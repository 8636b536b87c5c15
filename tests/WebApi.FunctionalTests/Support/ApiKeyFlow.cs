using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Keys made through the API with a user's token, and clients that call with them.</summary>
public static class ApiKeyFlow
{
    public static readonly string[] AllScopes = ["jobs:read", "jobs:write", "assets:read", "assets:write", "chats:read", "chats:write", "usage:read"];

    /// <summary>Creates a key with the caller's token; the 201 answer (with <c>secret</c>).</summary>
    public static async Task<JsonElement> CreateApiKeyAsync(this HttpClient tokenClient, string[]? scopes = null, string? mode = null, string name = "CI pipeline", DateTime? expiresAt = null) =>
        await (await tokenClient.PostAsJsonAsync("/api/api-keys", new { name, scopes = scopes ?? AllScopes, mode, expiresAt }))
            .ReadJsonAsync(HttpStatusCode.Created);

    /// <summary>A client sending <paramref name="secret"/> as <c>Authorization: Bearer</c>, or as <c>X-API-Key</c>.</summary>
    public static HttpClient CreateKeyClient(this CleanBackendFactory factory, string secret, bool asApiKeyHeader = false)
    {
        if (!asApiKeyHeader)
        {
            return factory.CreateClient(secret);
        }

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", secret);
        return client;
    }

    public static string Secret(this JsonElement created) => created.GetProperty("secret").GetString()!;

    public static Guid Id(this JsonElement created) => created.GetProperty("id").GetGuid();
}
