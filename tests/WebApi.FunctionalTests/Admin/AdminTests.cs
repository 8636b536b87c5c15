using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Admin;

/// <summary>The admin routes on every database this run has.</summary>
public sealed class AdminTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Users_FilterByRoleStateAndSearch(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync("user", "moderator");
        var client = factory.CreateClient(admin.AccessToken);
        (await client.PostAsync($"/api/admin/users/{target.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var found = await (await client.GetAsync($"/api/admin/users?role=moderator&isActive=false&search={target.Email[..15]}")).ReadJsonAsync(HttpStatusCode.OK);
        var none = await (await client.GetAsync($"/api/admin/users?role=admin&search={target.Email[..15]}")).ReadJsonAsync(HttpStatusCode.OK);

        found.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(target.Id);
        found.GetProperty("items")[0].GetProperty("isActive").GetBoolean().ShouldBeFalse();
        none.GetProperty("total").GetInt32().ShouldBe(0);
        await (await client.GetAsync("/api/admin/users?role=root")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A role is one of user, admin, moderator.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeRoles_SetsThemAndIsAudited_AndTheOldTokenStops(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();

        var response = await factory.CreateClient(admin.AccessToken).PatchAsJsonAsync($"/api/admin/users/{target.Id}/roles", new { roles = new[] { "user", "moderator" } });

        var json = await response.ReadJsonAsync(HttpStatusCode.OK);
        json.GetProperty("ok").GetBoolean().ShouldBeTrue();
        json.GetProperty("user").GetProperty("roles").Strings().ShouldBe(["moderator", "user"]);
        await (await factory.CreateClient(target.AccessToken).GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Token has been revoked");
        var entry = await LatestAuditAsync(factory, admin, "admin.roles_changed");
        entry.GetProperty("actorId").GetGuid().ShouldBe(admin.Id);
        entry.GetProperty("actorEmail").GetString().ShouldBe(admin.Email);
        entry.GetProperty("targetType").GetString().ShouldBe("user");
        entry.GetProperty("targetId").GetString().ShouldBe(target.Id.ToString());
        entry.GetProperty("details").GetProperty("to").Strings().ShouldBe(["moderator", "user"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeRoles_DroppingOnesOwnAdminRole_Returns409(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");

        var response = await factory.CreateClient(admin.AccessToken).PatchAsJsonAsync($"/api/admin/users/{admin.Id}/roles", new { roles = new[] { "user" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "An admin cannot remove their own admin role");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Deactivate_StopsTheUsersTokensAtOnce_AndReactivateLetsThemSignInAgain(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();
        var client = factory.CreateClient(admin.AccessToken);

        var deactivated = await (await client.PostAsync($"/api/admin/users/{target.Id}/deactivate", null)).ReadJsonAsync(HttpStatusCode.OK);

        deactivated.GetProperty("message").GetString().ShouldBe("User deactivated");
        deactivated.GetProperty("user").GetProperty("isActive").GetBoolean().ShouldBeFalse();
        await (await factory.CreateClient(target.AccessToken).GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Account is deactivated");
        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = target.RefreshToken })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
        (await LatestAuditAsync(factory, admin, "admin.user_deactivated")).GetProperty("targetId").GetString().ShouldBe(target.Id.ToString());

        var reactivated = await (await client.PostAsync($"/api/admin/users/{target.Id}/reactivate", null)).ReadJsonAsync(HttpStatusCode.OK);

        reactivated.GetProperty("message").GetString().ShouldBe("User reactivated");
        reactivated.GetProperty("user").GetProperty("isActive").GetBoolean().ShouldBeTrue();
        (await factory.LoginAsync(target.Email, TestUser.DefaultPassword)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await LatestAuditAsync(factory, admin, "admin.user_reactivated")).GetProperty("targetId").GetString().ShouldBe(target.Id.ToString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Delete_RemovesTheUserAndTheirFiles_ButNotOneself(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();
        var asset = await (await factory.CreateClient(target.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        var client = factory.CreateClient(admin.AccessToken);

        var deleted = await (await client.DeleteAsync($"/api/admin/users/{target.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        var self = await client.DeleteAsync($"/api/admin/users/{admin.Id}");

        deleted.GetRawText().ShouldBe("""{"ok":true,"message":"User deleted"}""");
        await (await client.GetAsync($"/api/users/{target.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "User not found");
        await (await factory.CreateClient().GetAsync(new Uri(asset.GetProperty("url").GetString()!).PathAndQuery)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
        await self.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Cannot delete your own account");
        (await LatestAuditAsync(factory, admin, "admin.user_deleted")).GetProperty("details").GetProperty("email").GetString().ShouldBe(target.Email);
        await (await client.DeleteAsync($"/api/admin/users/{Guid.CreateVersion7()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "User not found");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stats_HaveTheSeedsShape(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");

        var stats = await (await factory.CreateClient(admin.AccessToken).GetAsync("/api/admin/stats")).ReadJsonAsync(HttpStatusCode.OK);

        stats.PropertyNames().ShouldBe(["assets", "chats", "jobs", "messages", "recent", "users"]);
        stats.GetProperty("users").PropertyNames().ShouldBe(["active", "inactive", "total"]);
        var users = stats.GetProperty("users");
        (users.GetProperty("active").GetInt32() + users.GetProperty("inactive").GetInt32()).ShouldBe(users.GetProperty("total").GetInt32());
        stats.GetProperty("jobs").GetProperty("byStatus").PropertyNames().ShouldBe(["canceled", "completed", "failed", "queued", "running"]);
        stats.GetProperty("assets").PropertyNames().ShouldBe(["total"]);
        stats.GetProperty("recent").PropertyNames().ShouldBe(["jobs", "users"]);
        stats.GetProperty("recent").GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()).ShouldContain(admin.Id);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditLogs_RecordSecurityEvents_FilteredByActionAndActor(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");
        var email = AuthFlow.NewEmail();
        await factory.RegisterAndVerifyAsync(email);
        await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong1234" });
        var user = await factory.LoginAsync(email);
        var userId = user.GetProperty("user").GetProperty("id").GetGuid();

        var page = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/api/admin/audit-logs?actorId={userId}&limit=50")).ReadJsonAsync(HttpStatusCode.OK);

        var actions = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldBe(["auth.login", "auth.login_failed", "user.registered"]);
        var entry = page.GetProperty("items")[0];
        entry.PropertyNames().ShouldBe(["action", "actorEmail", "actorId", "createdAt", "details", "id", "ipAddress", "targetId", "targetType"]);
        var failed = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/api/admin/audit-logs?action=auth.login_failed&actorId={userId}")).ReadJsonAsync(HttpStatusCode.OK);
        failed.GetProperty("items").EnumerateArray().Single().GetProperty("details").GetProperty("reason").GetString().ShouldBe("wrong password");
    }

    private static async Task<JsonElement> LatestAuditAsync(CleanBackendFactory factory, TestUser admin, string action)
    {
        var page = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/api/admin/audit-logs?action={action}&actorId={admin.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items")[0];
    }
}
