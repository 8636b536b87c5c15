using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Admin;

/// <summary>Every admin route refuses anyone but an admin, in the seed's words.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class AdminAccessTests(CleanBackendFactory factory)
{
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/api/admin/users" },
        { "PATCH", "/api/admin/users/{id}/roles" },
        { "POST", "/api/admin/users/{id}/deactivate" },
        { "POST", "/api/admin/users/{id}/reactivate" },
        { "DELETE", "/api/admin/users/{id}" },
        { "GET", "/api/admin/stats" },
        { "GET", "/api/admin/audit-logs" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryAdminRoute_ForANonAdmin_Returns403WithTheSeedsError(string method, string route)
    {
        var user = await factory.CreateUserAsync("user", "moderator");
        using var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{id}", user.Id.ToString(), StringComparison.Ordinal))
        {
            Content = method == "PATCH" ? JsonContent.Create(new { roles = new[] { "admin" } }) : null,
        };

        var response = await factory.CreateClient(user.AccessToken).SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Admin access required");
        (await (await factory.CreateClient(user.AccessToken).GetAsync("/api/users/me")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("roles").Strings().ShouldBe(["moderator", "user"]);
    }
}
