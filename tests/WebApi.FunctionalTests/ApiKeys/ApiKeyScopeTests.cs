using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.ApiKeys;

/// <summary>
/// Every signed-in route, with a key: the routes of the scope map pass with their scope and are 403 without it;
/// account, key, admin and analytics routes are 403 whatever the key's scopes. Tokens are not affected.
/// </summary>
[Collection(SharedServiceCollection.Name)]
public sealed class ApiKeyScopeTests(CleanBackendFactory factory)
{
    /// <summary>Each route reachable with a key: its scope, and its answer to a key that holds it (ids that do not exist are 404).</summary>
    public static TheoryData<string, string, string, HttpStatusCode> ScopedRoutes => new()
    {
        { "GET", "/api/jobs", "jobs:read", HttpStatusCode.OK },
        { "POST", "/api/jobs", "jobs:write", HttpStatusCode.Accepted },
        { "GET", "/api/jobs/{id}", "jobs:read", HttpStatusCode.NotFound },
        { "PATCH", "/api/jobs/{id}", "jobs:write", HttpStatusCode.NotFound },
        { "POST", "/api/jobs/{id}/cancel", "jobs:write", HttpStatusCode.NotFound },
        { "POST", "/api/jobs/{id}/convert", "jobs:write", HttpStatusCode.NotFound },
        { "GET", "/api/jobs/{id}/events", "jobs:read", HttpStatusCode.NotFound },
        { "GET", "/api/events", "jobs:read", HttpStatusCode.OK },
        { "POST", "/api/generate", "jobs:write", HttpStatusCode.Accepted },
        { "GET", "/api/assets", "assets:read", HttpStatusCode.OK },
        { "POST", "/api/assets", "assets:write", HttpStatusCode.Created },
        { "GET", "/api/assets/{id}", "assets:read", HttpStatusCode.NotFound },
        { "GET", "/api/assets/{id}/download", "assets:read", HttpStatusCode.NotFound },
        { "DELETE", "/api/assets/{id}", "assets:write", HttpStatusCode.NotFound },
        { "GET", "/api/chats", "chats:read", HttpStatusCode.OK },
        { "POST", "/api/chats", "chats:write", HttpStatusCode.Created },
        { "GET", "/api/chats/{id}", "chats:read", HttpStatusCode.NotFound },
        { "PATCH", "/api/chats/{id}", "chats:write", HttpStatusCode.NotFound },
        { "DELETE", "/api/chats/{id}", "chats:write", HttpStatusCode.NotFound },
        { "GET", "/api/messages?chatId={id}", "chats:read", HttpStatusCode.NotFound },
        { "POST", "/api/messages", "chats:write", HttpStatusCode.NotFound },
        { "GET", "/api/usage", "usage:read", HttpStatusCode.OK },
        { "GET", "/api/usage/history", "usage:read", HttpStatusCode.OK },
    };

    /// <summary>Routes a key never reaches.</summary>
    public static TheoryData<string, string> ClosedRoutes => new()
    {
        { "GET", "/api/auth/me" },
        { "GET", "/api/auth/sessions" },
        { "DELETE", "/api/auth/sessions/{id}" },
        { "POST", "/api/auth/logout-all" },
        { "POST", "/api/auth/change-password" },
        { "GET", "/api/users" },
        { "POST", "/api/users" },
        { "GET", "/api/users/me" },
        { "PATCH", "/api/users/me" },
        { "DELETE", "/api/users/me" },
        { "GET", "/api/users/{id}" },
        { "PATCH", "/api/users/{id}" },
        { "GET", "/api/api-keys" },
        { "POST", "/api/api-keys" },
        { "DELETE", "/api/api-keys/{id}" },
        { "GET", "/api/webhooks" },
        { "POST", "/api/webhooks" },
        { "GET", "/api/webhooks/{id}" },
        { "PATCH", "/api/webhooks/{id}" },
        { "DELETE", "/api/webhooks/{id}" },
        { "POST", "/api/webhooks/{id}/rotate-secret" },
        { "POST", "/api/webhooks/{id}/test" },
        { "GET", "/api/webhooks/{id}/deliveries" },
        { "POST", "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver" },
        { "GET", "/api/admin/users" },
        { "PATCH", "/api/admin/users/{id}/roles" },
        { "POST", "/api/admin/users/{id}/deactivate" },
        { "POST", "/api/admin/users/{id}/reactivate" },
        { "DELETE", "/api/admin/users/{id}" },
        { "GET", "/api/admin/stats" },
        { "GET", "/api/admin/audit-logs" },
        { "GET", "/api/admin/performance" },
        { "POST", "/api/admin/users/{id}/credits" },
        { "GET", "/api/admin/users/{id}/usage" },
        { "GET", "/api/admin/users/{id}/usage/history" },
        { "GET", "/api/analytics/stats" },
        { "GET", "/api/analytics/dashboard" },
        { "GET", "/api/analytics/generation-metrics" },
        { "GET", "/api/analytics/popular-prompts" },
        { "GET", "/api/analytics/chat-stats" },
    };

    /// <summary>The replaced backend's routes, for its web app's signed-in sessions only; they answer errors its way.</summary>
    public static TheoryData<string, string> LegacyRoutes => new()
    {
        { "GET", "/legacy/api/auth/me" },
        { "GET", "/legacy/api/chats" },
        { "POST", "/legacy/api/chats" },
        { "GET", "/legacy/api/chats/{id}" },
        { "PATCH", "/legacy/api/chats/{id}" },
        { "DELETE", "/legacy/api/chats/{id}" },
        { "POST", "/legacy/api/chats/{id}/messages" },
        { "GET", "/legacy/api/admin/stats" },
        { "GET", "/legacy/api/admin/users" },
        { "GET", "/legacy/api/admin/users/{id}" },
        { "PUT", "/legacy/api/admin/users/{id}/roles" },
        { "PATCH", "/legacy/api/admin/users/{id}/toggle-status" },
        { "DELETE", "/legacy/api/admin/users/{id}" },
    };

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task ScopedRoute_WithTheScope_PassesAuthorization(string method, string route, string scope, HttpStatusCode expected)
    {
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync([scope]);

        using var response = await SendAsync(factory.CreateKeyClient(key.Secret()), method, route);

        response.StatusCode.ShouldBe(expected, await ReadStartAsync(response));
    }

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task ScopedRoute_WithEveryOtherScope_Is403NamingTheMissingScope(string method, string route, string scope, HttpStatusCode expected)
    {
        _ = expected;
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync([.. ApiKeyFlow.AllScopes.Where(s => s != scope)]);

        using var response = await SendAsync(factory.CreateKeyClient(key.Secret(), asApiKeyHeader: true), method, route);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, $"The API key lacks the scope '{scope}'");
    }

    [Theory]
    [MemberData(nameof(ClosedRoutes))]
    public async Task ClosedRoute_WithAKeyOfEveryScope_Is403(string method, string route)
    {
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(ApiKeyFlow.AllScopes);

        using var response = await SendAsync(factory.CreateKeyClient(key.Secret()), method, route);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "API keys cannot be used on this route; sign in to use it");
    }

    [Theory]
    [MemberData(nameof(ClosedRoutes))]
    public async Task ClosedRoute_OfAnAdminsKey_Is403(string method, string route)
    {
        var admin = await factory.CreateUserAsync("admin", "user");
        var key = await factory.CreateClient(admin.AccessToken).CreateApiKeyAsync(ApiKeyFlow.AllScopes);

        using var response = await SendAsync(factory.CreateKeyClient(key.Secret(), asApiKeyHeader: true), method, route);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "API keys cannot be used on this route; sign in to use it");
    }

    [Theory]
    [MemberData(nameof(LegacyRoutes))]
    public async Task LegacyRoute_WithAKeyOfEveryScope_Is403(string method, string route)
    {
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(ApiKeyFlow.AllScopes);

        using var response = await SendAsync(factory.CreateKeyClient(key.Secret()), method, route);

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.Forbidden, "API keys cannot be used on this route; sign in to use it");
    }

    [Fact]
    public async Task Tokens_AreNotLimitedByScopes()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        (await client.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/analytics/stats")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>
    /// The tables above cover every signed-in route of the service: a new route must be added to one of them, and so
    /// be decided open to keys (with a scope) or closed.
    /// </summary>
    [Fact]
    public void Tables_CoverEverySignedInRoute()
    {
        var declared = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .Select(e => $"{e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single()} /{Normalise(e.RoutePattern.RawText!)} {e.Metadata.GetMetadata<ApiKeyScopeAttribute>()?.Scope ?? "closed"}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var tables = ScopedRoutes.Select(r => $"{r[0]} {((string)r[1]).Split('?')[0]} {r[2]}")
            .Concat(ClosedRoutes.Concat(LegacyRoutes).Select(r => $"{r[0]} {r[1]} closed"))
            .Order(StringComparer.Ordinal)
            .ToList();
        declared.ShouldBe(tables);
    }

    [Fact]
    public async Task EventsHub_AcceptsAKeyWithJobsRead_AndRefusesOneWithout()
    {
        var user = await factory.CreateUserAsync();
        var reader = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"]);
        var writer = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:write"]);

        using var allowed = await factory.CreateKeyClient(reader.Secret()).PostAsync("/hubs/events/negotiate?negotiateVersion=1", null);
        using var refused = await factory.CreateKeyClient(writer.Secret()).PostAsync("/hubs/events/negotiate?negotiateVersion=1", null);

        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "The API key lacks the scope 'jobs:read'");
    }

    private static string Normalise(string pattern) =>
        pattern.Replace(":guid}", "}", StringComparison.Ordinal).Replace("{**key}", "{key}", StringComparison.Ordinal);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string route)
    {
        var path = route.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{deliveryId}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = (method, route) switch
            {
                ("POST", "/api/assets") => SampleFiles.Form(SampleFiles.Png(), "a.png"),
                ("POST", "/api/messages") => JsonContent.Create(new { chatId = Guid.NewGuid(), content = "hello" }),
                ("POST", "/api/jobs" or "/api/generate") => JsonContent.Create(new { prompt = "a red cube" }),
                ("POST", "/api/jobs/{id}/convert") => JsonContent.Create(new { format = "stl" }),
                ("POST", "/api/chats") => JsonContent.Create(new { title = "Props" }),
                ("PATCH", _) => JsonContent.Create(new { title = "Renamed", name = "Renamed" }),
                ("POST" or "DELETE", _) => JsonContent.Create(new { }),
                _ => null,
            },
        };

        // The event streams answer their headers, then stay open: the status is all a test needs.
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "(event stream)" : await response.Content.ReadAsStringAsync();
}
