using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.Domain.Chats;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Legacy;

/// <summary>The web app's admin page through /legacy: its routes, the fields it reads, and its errors as JSON.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class LegacyAdminTests(CleanBackendFactory factory)
{
    private static readonly string[] UserFields = ["_id", "createdAt", "email", "emailVerified", "id", "isActive", "lastLoginAt", "roles", "userName"];

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "stats" },
        { "GET", "users" },
        { "GET", "users/{id}" },
        { "PUT", "users/{id}/roles" },
        { "PATCH", "users/{id}/toggle-status" },
        { "DELETE", "users/{id}" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_ForANonAdmin_Returns403AdminAccessRequired(string method, string route)
    {
        var user = await factory.CreateUserAsync("user", "moderator");
        var target = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).SendAsync(AdminRequest(method, route, target.Id));

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.Forbidden, "Admin access required");
        await AssertStillThereAndActiveAsync(target);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_WithoutAToken_Returns401(string method, string route)
    {
        var target = await factory.CreateUserAsync();

        var response = await factory.CreateClient().SendAsync(AdminRequest(method, route, target.Id));

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Authentication required");
        await AssertStillThereAndActiveAsync(target);
    }

    [Fact]
    public async Task Stats_CountUsersActiveUsersAdminsChatsAndRegistrationsOfTheLastSevenDays()
    {
        using var own = new CleanBackendFactory();
        var admin = await own.CreateUserAsync("user", "admin");
        var active = await own.CreateUserAsync();
        var sixDaysOld = await own.CreateUserAsync("user", "moderator");
        var eightDaysOld = await own.CreateUserAsync();
        var deactivated = await own.CreateUserAsync();
        foreach (var (owner, title) in new[] { (admin, "Admin's"), (active, "Castles"), (eightDaysOld, "Old user's") })
        {
            (await own.CreateClient(owner.AccessToken).PostAsJsonAsync("/api/chats", new { title })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        await own.SeedAsync(db =>
        {
            db.Users.Single(u => u.Id == sixDaysOld.Id).CreatedAt = DateTime.UtcNow.AddDays(-6);
            var old = db.Users.Single(u => u.Id == eightDaysOld.Id);
            old.CreatedAt = DateTime.UtcNow.AddDays(-8);
            old.IsActive = false;
            db.Users.Single(u => u.Id == deactivated.Id).IsActive = false;
        });

        var stats = await (await own.CreateClient(admin.AccessToken).GetAsync("/legacy/api/admin/stats")).ReadJsonAsync(HttpStatusCode.OK);

        stats.PropertyNames().ShouldBe(["activeUsers", "adminUsers", "recentRegistrations", "totalChats", "totalUsers"]);
        (stats.GetProperty("totalUsers").GetInt32(), stats.GetProperty("activeUsers").GetInt32(), stats.GetProperty("adminUsers").GetInt32(),
            stats.GetProperty("totalChats").GetInt32(), stats.GetProperty("recentRegistrations").GetInt32())
            .ShouldBe((5, 3, 1, 3, 4));
    }

    [Fact]
    public async Task Users_ListsEveryUserNewestFirstWithTheFieldsTheWebAppReads()
    {
        using var own = new CleanBackendFactory();
        var admin = await own.CreateUserAsync("user", "admin");
        var older = await own.CreateUserAsync("user", "moderator");
        var newer = await own.CreateUserAsync();
        await own.SeedAsync(db => db.Users.Single(u => u.Id == newer.Id).IsActive = false);
        (await own.CreateClient().PostAsJsonAsync("/legacy/api/auth/login", new { email = older.Email, password = older.Password })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var list = await (await own.CreateClient(admin.AccessToken).GetAsync("/legacy/api/admin/users")).ReadJsonAsync(HttpStatusCode.OK);

        list.PropertyNames().ShouldBe(["limit", "page", "total", "totalPages", "users"]);
        (list.GetProperty("page").GetInt32(), list.GetProperty("limit").GetInt32(), list.GetProperty("total").GetInt32(), list.GetProperty("totalPages").GetInt32())
            .ShouldBe((1, 100, 3, 1));
        var users = list.GetProperty("users").EnumerateArray().ToList();
        users.Select(u => u.GetProperty("id").GetGuid()).ShouldBe([newer.Id, older.Id, admin.Id]);
        await AssertUserAsync(own, users[0], newer, ["user"], isActive: false);
        await AssertUserAsync(own, users[1], older, ["moderator", "user"], isActive: true, loggedIn: true);
        await AssertUserAsync(own, users[2], admin, ["admin", "user"], isActive: true);
    }

    [Fact]
    public async Task Users_PagesWhenAsked()
    {
        using var own = new CleanBackendFactory();
        var admin = await own.CreateUserAsync("user", "admin");
        var older = await own.CreateUserAsync();
        _ = await own.CreateUserAsync();

        var list = await (await own.CreateClient(admin.AccessToken).GetAsync("/legacy/api/admin/users?page=2&limit=1")).ReadJsonAsync(HttpStatusCode.OK);

        (list.GetProperty("page").GetInt32(), list.GetProperty("limit").GetInt32(), list.GetProperty("total").GetInt32(), list.GetProperty("totalPages").GetInt32())
            .ShouldBe((2, 1, 3, 3));
        list.GetProperty("users").EnumerateArray().Single().GetProperty("_id").GetGuid().ShouldBe(older.Id);
    }

    [Fact]
    public async Task User_ShowsTheUserWithTheirChatsNewestFirstAndEachChatsMessagesOldestFirst()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();
        var client = factory.CreateClient(target.AccessToken);
        var first = await (await client.PostAsJsonAsync("/api/chats", new { title = "Castles" })).ReadJsonAsync(HttpStatusCode.Created);
        var second = await (await client.PostAsJsonAsync("/api/chats", new { title = "Empty" })).ReadJsonAsync(HttpStatusCode.Created);
        var firstId = first.GetProperty("id").GetGuid();
        var question = await (await client.PostAsJsonAsync("/api/messages", new { chatId = firstId, content = "A stone castle, please" })).ReadJsonAsync(HttpStatusCode.Created);
        var answerAt = question.GetProperty("createdAt").GetDateTime().AddSeconds(1);
        var answerId = Guid.Empty;
        await factory.SeedAsync(db =>
        {
            var answer = db.Chats.Single(c => c.Id == firstId).Post(MessageRole.Assistant, "Here is your castle.", [], answerAt);
            db.Messages.Add(answer);
            answerId = answer.Id;
        });
        _ = await factory.CreateUserAsync(); // another user's chats are not shown

        var details = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/legacy/api/admin/users/{target.Id}")).ReadJsonAsync(HttpStatusCode.OK);

        details.PropertyNames().ShouldBe(["chats", "user"]);
        await AssertUserAsync(factory, details.GetProperty("user"), target, ["user"], isActive: true);
        var chats = details.GetProperty("chats").EnumerateArray().ToList();
        chats.Count.ShouldBe(2);
        chats.ShouldAllBe(c => c.PropertyNames().SequenceEqual(new[] { "_id", "createdAt", "id", "messageCount", "messages", "title" }));
        AssertChat(chats[0], second, 0);
        chats[0].GetProperty("messages").GetArrayLength().ShouldBe(0);
        AssertChat(chats[1], first, 2);
        var messages = chats[1].GetProperty("messages").EnumerateArray().ToList();
        messages.ShouldAllBe(m => m.PropertyNames().SequenceEqual(new[] { "content", "id", "role", "timestamp" }));
        (messages[0].GetProperty("id").GetGuid(), messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString(), messages[0].GetProperty("timestamp").GetDateTime())
            .ShouldBe((question.GetProperty("id").GetGuid(), "user", "A stone castle, please", question.GetProperty("createdAt").GetDateTime()));
        (messages[1].GetProperty("id").GetGuid(), messages[1].GetProperty("role").GetString(), messages[1].GetProperty("content").GetString(), messages[1].GetProperty("timestamp").GetDateTime())
            .ShouldBe((answerId, "assistant", "Here is your castle.", answerAt));
    }

    [Theory]
    [InlineData("GET", "users/{id}")]
    [InlineData("PUT", "users/{id}/roles")]
    [InlineData("PATCH", "users/{id}/toggle-status")]
    [InlineData("DELETE", "users/{id}")]
    public async Task UserRoute_ForAnUnknownUser_Returns404(string method, string route)
    {
        var admin = await factory.CreateUserAsync("user", "admin");

        var response = await factory.CreateClient(admin.AccessToken).SendAsync(AdminRequest(method, route, Guid.NewGuid()));

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "User not found");
    }

    [Fact]
    public async Task ChangeRoles_SetsTheRolesAndAnswersWithTheUser()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();

        var response = await factory.CreateClient(admin.AccessToken).PutAsJsonAsync($"/legacy/api/admin/users/{target.Id}/roles", new { roles = new[] { "user", "moderator" } });

        var answer = await response.ReadJsonAsync(HttpStatusCode.OK);
        answer.PropertyNames().ShouldBe(["message", "ok", "user"]);
        answer.GetProperty("ok").GetBoolean().ShouldBeTrue();
        answer.GetProperty("message").GetString().ShouldBe("Roles updated");
        await AssertUserAsync(factory, answer.GetProperty("user"), target, ["moderator", "user"], isActive: true);
        var listed = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/legacy/api/admin/users/{target.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        listed.GetProperty("user").GetProperty("roles").Strings().ShouldBe(["moderator", "user"]);
    }

    [Fact]
    public async Task ChangeRoles_WithAnUnknownRole_Returns400NamingTheFieldAndChangesNothing()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();

        var response = await factory.CreateClient(admin.AccessToken).PutAsJsonAsync($"/legacy/api/admin/users/{target.Id}/roles", new { roles = new[] { "user", "root" } });

        var error = await response.ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "A role is one of user, admin, moderator.", "roles[1]");
        error.GetProperty("errors").GetProperty("roles[1]").Strings().ShouldBe(["A role is one of user, admin, moderator."]);
        var unchanged = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/legacy/api/admin/users/{target.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        unchanged.GetProperty("user").GetProperty("roles").Strings().ShouldBe(["user"]);
    }

    [Fact]
    public async Task ToggleStatus_DeactivatesThenReactivates_AndADeactivatedUsersTokenIsRefused()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();
        var client = factory.CreateClient(admin.AccessToken);
        var route = $"/legacy/api/admin/users/{target.Id}/toggle-status";

        var off = await (await client.PatchAsync(route, null)).ReadJsonAsync(HttpStatusCode.OK);

        off.PropertyNames().ShouldBe(["message", "ok", "user"]);
        (off.GetProperty("ok").GetBoolean(), off.GetProperty("message").GetString()).ShouldBe((true, "User deactivated"));
        await AssertUserAsync(factory, off.GetProperty("user"), target, ["user"], isActive: false);
        await (await factory.CreateClient(target.AccessToken).GetAsync("/legacy/api/auth/me")).ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Account is deactivated");

        var on = await (await client.PatchAsync(route, null)).ReadJsonAsync(HttpStatusCode.OK);

        on.PropertyNames().ShouldBe(["message", "ok", "user"]);
        (on.GetProperty("ok").GetBoolean(), on.GetProperty("message").GetString()).ShouldBe((true, "User reactivated"));
        await AssertUserAsync(factory, on.GetProperty("user"), target, ["user"], isActive: true);
        (await UserRowAsync(factory, target.Id))!.IsActive.ShouldBeTrue();
    }

    [Fact]
    public async Task ToggleStatus_OfOneself_Returns400AndLeavesTheAdminActive()
    {
        var admin = await factory.CreateUserAsync("user", "admin");

        var response = await factory.CreateClient(admin.AccessToken).PatchAsync($"/legacy/api/admin/users/{admin.Id}/toggle-status", null);

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Cannot deactivate your own account", "id");
        (await UserRowAsync(factory, admin.Id))!.IsActive.ShouldBeTrue();
        (await factory.CreateClient(admin.AccessToken).GetAsync("/legacy/api/admin/stats")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_RemovesTheUser_ThenTheUserIsNotFound()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var target = await factory.CreateUserAsync();
        (await factory.CreateClient(target.AccessToken).PostAsJsonAsync("/api/chats", new { title = "Going away" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var client = factory.CreateClient(admin.AccessToken);

        var deleted = await (await client.DeleteAsync($"/legacy/api/admin/users/{target.Id}")).ReadJsonAsync(HttpStatusCode.OK);

        deleted.PropertyNames().ShouldBe(["message", "ok"]);
        (deleted.GetProperty("ok").GetBoolean(), deleted.GetProperty("message").GetString()).ShouldBe((true, "User deleted"));
        await (await client.GetAsync($"/legacy/api/admin/users/{target.Id}")).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "User not found");
        (await UserRowAsync(factory, target.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task Delete_OfOneself_Returns400AndKeepsTheAdmin()
    {
        var admin = await factory.CreateUserAsync("user", "admin");

        var response = await factory.CreateClient(admin.AccessToken).DeleteAsync($"/legacy/api/admin/users/{admin.Id}");

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Cannot delete your own account", "id");
        (await UserRowAsync(factory, admin.Id)).ShouldNotBeNull();
    }

    private static HttpRequestMessage AdminRequest(string method, string route, Guid id)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/legacy/api/admin/" + route.Replace("{id}", id.ToString()));
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { roles = new[] { "user", "admin" } });
        }

        return request;
    }

    private static async Task<ApplicationUser?> UserRowAsync(CleanBackendFactory service, Guid id)
    {
        using var scope = service.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id);
    }

    private async Task AssertStillThereAndActiveAsync(TestUser user)
    {
        var row = await UserRowAsync(factory, user.Id);
        row.ShouldNotBeNull();
        row.IsActive.ShouldBeTrue();
        using var scope = factory.Services.CreateScope();
        var roles = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>().GetRolesAsync(row);
        roles.ShouldBe(["user"]);
    }

    /// <summary>A user as the web app reads one, against the row in the database.</summary>
    private static async Task AssertUserAsync(CleanBackendFactory service, JsonElement json, TestUser user, string[] roles, bool isActive, bool loggedIn = false)
    {
        var row = (await UserRowAsync(service, user.Id))!;
        json.PropertyNames().ShouldBe(UserFields);
        json.GetProperty("_id").GetGuid().ShouldBe(user.Id);
        json.GetProperty("id").GetGuid().ShouldBe(user.Id);
        json.GetProperty("email").GetString().ShouldBe(user.Email);
        json.GetProperty("userName").GetString().ShouldBe("Test User");
        json.GetProperty("roles").Strings().ShouldBe(roles);
        json.GetProperty("isActive").GetBoolean().ShouldBe(isActive);
        json.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
        json.GetProperty("createdAt").GetDateTime().ShouldBe(row.CreatedAt);
        if (loggedIn)
        {
            json.GetProperty("lastLoginAt").GetDateTime().ShouldBe(row.LastLoginAt.ShouldNotBeNull());
        }
        else
        {
            json.GetProperty("lastLoginAt").ValueKind.ShouldBe(JsonValueKind.Null);
        }
    }

    private static void AssertChat(JsonElement json, JsonElement created, int messageCount)
    {
        json.GetProperty("_id").GetGuid().ShouldBe(created.GetProperty("id").GetGuid());
        json.GetProperty("id").GetGuid().ShouldBe(created.GetProperty("id").GetGuid());
        json.GetProperty("title").GetString().ShouldBe(created.GetProperty("title").GetString());
        json.GetProperty("createdAt").GetDateTime().ShouldBe(created.GetProperty("createdAt").GetDateTime());
        json.GetProperty("messageCount").GetInt32().ShouldBe(messageCount);
    }
}
