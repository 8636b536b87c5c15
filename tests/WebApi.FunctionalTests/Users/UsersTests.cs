using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Users;

[Collection(SharedServiceCollection.Name)]
public sealed class UsersTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task List_ForAUser_Returns403()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).GetAsync("/api/users");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Access denied");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("moderator")]
    public async Task List_ForAdminsAndModerators_PagesAndSearches(string role)
    {
        var staff = await factory.CreateUserAsync("user", role);
        var target = await factory.CreateUserAsync();

        var page = await (await factory.CreateClient(staff.AccessToken).GetAsync($"/api/users?search={target.Email[5..20]}")).ReadJsonAsync(HttpStatusCode.OK);

        var found = page.GetProperty("items").EnumerateArray().Single();
        found.GetProperty("id").GetGuid().ShouldBe(target.Id);
        found.GetProperty("roles").Strings().ShouldBe(["user"]);
        found.TryGetProperty("passwordHash", out _).ShouldBeFalse();
        page.GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Create_AsAdmin_Returns201WithAVerifiedUserWhoCanSignIn()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var email = AuthFlow.NewEmail();

        var response = await factory.CreateClient(admin.AccessToken).PostAsJsonAsync("/api/users", new { email, password = "Welcome42", name = "New Hire", roles = new[] { "user", "moderator" } });

        var user = await response.ReadJsonAsync(HttpStatusCode.Created);
        user.GetProperty("email").GetString().ShouldBe(email);
        user.GetProperty("roles").Strings().ShouldBe(["moderator", "user"]);
        user.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
        response.Headers.Location!.AbsolutePath.ShouldBe($"/api/users/{user.GetProperty("id").GetGuid()}");
        (await factory.LoginAsync(email, "Welcome42")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await (await factory.CreateClient(admin.AccessToken).PostAsJsonAsync("/api/users", new { email, password = "Welcome42", name = "Twice" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "Email already registered");
    }

    [Fact]
    public async Task Create_AsAUser_Returns403WithTheSeedsError()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/users", new { email = AuthFlow.NewEmail(), password = "Welcome42", name = "X" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Admin access required");
    }

    [Fact]
    public async Task Create_WithAnUnknownRole_Returns400()
    {
        var admin = await factory.CreateUserAsync("user", "admin");

        var response = await factory.CreateClient(admin.AccessToken).PostAsJsonAsync("/api/users", new { email = AuthFlow.NewEmail(), password = "Welcome42", name = "X", roles = new[] { "root" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A role is one of user, admin, moderator.");
    }

    [Fact]
    public async Task Get_OneselfOrAsAdmin_ReturnsTheUser()
    {
        var user = await factory.CreateUserAsync();
        var admin = await factory.CreateUserAsync("user", "admin");

        var self = await (await factory.CreateClient(user.AccessToken).GetAsync($"/api/users/{user.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        var byAdmin = await (await factory.CreateClient(admin.AccessToken).GetAsync($"/api/users/{user.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        var me = await (await factory.CreateClient(user.AccessToken).GetAsync("/api/users/me")).ReadJsonAsync(HttpStatusCode.OK);

        self.GetRawText().ShouldBe(byAdmin.GetRawText());
        me.GetRawText().ShouldBe(self.GetRawText());
    }

    [Fact]
    public async Task UpdateMe_ChangesTheNameAndMergesSettings()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        await client.PatchAsJsonAsync("/api/users/me", new { settings = new { theme = "dark", emailOnJobComplete = true } });

        var updated = await (await client.PatchAsJsonAsync("/api/users/me", new { name = "Renamed", settings = new Dictionary<string, object?> { ["theme"] = null, ["units"] = "cm" } }))
            .ReadJsonAsync(HttpStatusCode.OK);

        updated.GetProperty("name").GetString().ShouldBe("Renamed");
        updated.GetProperty("settings").GetRawText().ShouldBe("""{"emailOnJobComplete":true,"units":"cm"}""");
        (await (await client.GetAsync("/api/auth/me")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("settings").GetRawText().ShouldBe("""{"emailOnJobComplete":true,"units":"cm"}""");
    }

    [Fact]
    public async Task Update_AnotherUserAsAdmin_Works()
    {
        var user = await factory.CreateUserAsync();
        var admin = await factory.CreateUserAsync("user", "admin");

        var updated = await (await factory.CreateClient(admin.AccessToken).PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Set By Admin" })).ReadJsonAsync(HttpStatusCode.OK);

        updated.GetProperty("name").GetString().ShouldBe("Set By Admin");
    }

    [Fact]
    public async Task Update_WithAnEmptyName_Returns400()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PatchAsJsonAsync("/api/users/me", new { name = "" });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Name' must not be empty.");
    }

    [Fact]
    public async Task DeleteMe_WithTheWrongPassword_Returns400AndKeepsTheAccount()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = "NotIt123" }) };
        var response = await client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Password is incorrect");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["password"]);
        (await client.GetAsync("/api/users/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeleteMe_RemovesTheAccountItsDataAndItsFiles()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chat = await (await client.PostAsJsonAsync("/api/chats", new { title = "Bye" })).ReadJsonAsync(HttpStatusCode.Created);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        var signedUrl = new Uri(asset.GetProperty("url").GetString()!).PathAndQuery;
        (await factory.CreateClient().GetAsync(signedUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var filesBefore = Directory.GetFiles(Path.Combine(factory.Root, "assets"), "*.png", SearchOption.AllDirectories).Length;

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = TestUser.DefaultPassword }) };
        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Directory.GetFiles(Path.Combine(factory.Root, "assets"), "*.png", SearchOption.AllDirectories).Length.ShouldBe(filesBefore - 1);
        await (await client.GetAsync("/api/users/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "User no longer exists");
        await (await factory.CreateClient().GetAsync(signedUrl)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = TestUser.DefaultPassword }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid email or password");
        chat.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
    }
}
