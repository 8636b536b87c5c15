using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Webhooks;

/// <summary>Two services for the route tests, neither of which sends anything: one as in development, one as in production.</summary>
public sealed class WebhookServices : IDisposable
{
    public CleanBackendFactory Development { get; } = CleanBackendFactory.With(new Dictionary<string, string?> { ["Webhooks:Enabled"] = "false" });

    public CleanBackendFactory Strict { get; } = CleanBackendFactory.With(new Dictionary<string, string?>
    {
        ["Webhooks:Enabled"] = "false",
        ["Webhooks:AllowHttp"] = "false",
        ["Webhooks:AllowPrivateNetworks"] = "false",
    });

    public void Dispose()
    {
        Development.Dispose();
        Strict.Dispose();
    }
}

/// <summary>The webhook routes: what each answers, its validation, the limit per user, and other users' ids.</summary>
public sealed class WebhookRoutesTests(WebhookServices services) : IClassFixture<WebhookServices>
{
    private const string Url = "https://hooks.example.com/cleanbackend";

    private readonly CleanBackendFactory _factory = services.Development;

    [Fact]
    public async Task Create_Returns201_WithTheSecretShownOnce()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);

        var response = await client.PostAsJsonAsync("/api/webhooks", new { url = Url, events = new[] { "job.completed", "job.failed" } });
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);

        created.PropertyNames().ShouldBe(["consecutiveFailures", "createdAt", "disabledAt", "disabledReason", "enabled", "events", "id", "secret", "updatedAt", "url"]);
        created.GetProperty("url").GetString().ShouldBe(Url);
        created.GetProperty("events").Strings().ShouldBe(["job.completed", "job.failed"]);
        created.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        created.GetProperty("consecutiveFailures").GetInt32().ShouldBe(0);
        var secret = created.GetProperty("secret").GetString()!;
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..].Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32);
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.AbsolutePath.ShouldBe($"/api/webhooks/{id}");

        var read = await (await client.GetAsync($"/api/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        read.PropertyNames().ShouldNotContain("secret");
        read.GetProperty("url").GetString().ShouldBe(Url);
        // Stored protected, never as given.
        using var scope = _factory.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Webhooks.SingleAsync(w => w.Id == id);
        stored.ProtectedSecret.ShouldNotContain(secret["whsec_".Length..]);
    }

    [Fact]
    public async Task Create_Disabled_IsKeptDisabled()
    {
        var user = await _factory.CreateUserAsync();
        var created = await (await _factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/webhooks", new { url = Url, events = new[] { "job.canceled" }, enabled = false }))
            .ReadJsonAsync(HttpStatusCode.Created);

        created.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        created.GetProperty("disabledReason").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"events":["job.completed"]}""", "url" },
        { """{"url":"","events":["job.completed"]}""", "url" },
        { """{"url":"/relative/path","events":["job.completed"]}""", "url" },
        { """{"url":"ftp://hooks.example.com/x","events":["job.completed"]}""", "url" },
        { """{"url":"https://user:pass@hooks.example.com/x","events":["job.completed"]}""", "url" },
        { """{"url":"https://hooks.example.com/x"}""", "events" },
        { """{"url":"https://hooks.example.com/x","events":[]}""", "events" },
        { """{"url":"https://hooks.example.com/x","events":["job.started"]}""", "events" },
        { """{"url":"https://hooks.example.com/x","events":["ping"]}""", "events" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidInput_Returns400_NamingTheField(string body, string field)
    {
        var user = await _factory.CreateUserAsync();
        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/webhooks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);
        problem.GetProperty("errors").PropertyNames().ShouldBe([field]);
    }

    public static TheoryData<string> RefusedOutsideDevelopment => new()
    {
        "http://hooks.example.com/plain-http",
        "https://localhost/hooks",
        "https://api.localhost/hooks",
        "https://127.0.0.1/hooks",
        "https://127.8.9.10:8443/hooks",
        "https://10.1.2.3/hooks",
        "https://172.20.0.1/hooks",
        "https://192.168.1.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://224.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://[::]/hooks",
        "https://[fe80::1]/hooks",
        "https://[fd12:3456::1]/hooks",
        "https://[ff02::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://2130706433/hooks",
    };

    [Theory]
    [MemberData(nameof(RefusedOutsideDevelopment))]
    public async Task Create_WithPlainHttpOrAPrivateAddress_Returns400_WhenNotAllowed(string url)
    {
        var user = await services.Strict.CreateUserAsync();
        var client = services.Strict.CreateClient(user.AccessToken);

        var problem = await (await client.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "job.completed" } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);

        problem.GetProperty("errors").PropertyNames().ShouldBe(["url"]);
        (await (await client.GetAsync("/api/webhooks")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Update_ToAPrivateAddress_Returns400_WhenNotAllowed()
    {
        var user = await services.Strict.CreateUserAsync();
        var client = services.Strict.CreateClient(user.AccessToken);
        var id = (await client.CreateWebhookAsync("https://93.184.215.14/hooks", "job.completed")).GetProperty("id").GetGuid();

        var problem = await (await client.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = "https://192.168.0.1/hooks" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);

        problem.GetProperty("errors").PropertyNames().ShouldBe(["url"]);
        (await (await client.GetAsync($"/api/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("url").GetString().ShouldBe("https://93.184.215.14/hooks");
    }

    [Fact]
    public async Task Create_ASixthWebhook_Returns409()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        for (var i = 0; i < 5; i++)
        {
            await client.CreateWebhookAsync($"{Url}/{i}");
        }

        var problem = await (await client.PostAsJsonAsync("/api/webhooks", new { url = Url, events = new[] { "job.completed" } })).ShouldBeProblemAsync(HttpStatusCode.Conflict, null);

        problem.GetProperty("detail").GetString().ShouldBe("A user can have at most 5 webhooks; delete one first.");
        (await (await client.GetAsync("/api/webhooks")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(5);
    }

    [Fact]
    public async Task List_ShowsTheCallersWebhooksOnly_OldestFirst_WithoutSecrets()
    {
        var user = await _factory.CreateUserAsync();
        var other = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var first = (await client.CreateWebhookAsync($"{Url}/first")).GetProperty("id").GetGuid();
        var second = (await client.CreateWebhookAsync($"{Url}/second", "job.failed")).GetProperty("id").GetGuid();
        await _factory.CreateClient(other.AccessToken).CreateWebhookAsync($"{Url}/other");

        var list = await (await client.GetAsync("/api/webhooks")).ReadJsonAsync(HttpStatusCode.OK);

        list.EnumerateArray().Select(w => w.GetProperty("id").GetGuid()).ShouldBe([first, second]);
        list.EnumerateArray().Select(w => w.PropertyNames().Contains("secret")).ShouldAllBe(hasSecret => !hasSecret);
        list[1].GetProperty("events").Strings().ShouldBe(["job.failed"]);
    }

    [Fact]
    public async Task Update_ChangesOnlyWhatIsGiven()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var created = await client.CreateWebhookAsync(Url, "job.completed");
        var id = created.GetProperty("id").GetGuid();

        var events = await (await client.PatchAsJsonAsync($"/api/webhooks/{id}", new { events = new[] { "job.failed", "job.canceled" } })).ReadJsonAsync(HttpStatusCode.OK);
        var disabled = await (await client.PatchAsJsonAsync($"/api/webhooks/{id}", new { enabled = false })).ReadJsonAsync(HttpStatusCode.OK);
        var moved = await (await client.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = $"{Url}/moved" })).ReadJsonAsync(HttpStatusCode.OK);

        events.GetProperty("events").Strings().ShouldBe(["job.failed", "job.canceled"]);
        events.GetProperty("url").GetString().ShouldBe(Url);
        events.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        disabled.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        disabled.GetProperty("events").Strings().ShouldBe(["job.failed", "job.canceled"]);
        moved.GetProperty("url").GetString().ShouldBe($"{Url}/moved");
        moved.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        moved.GetProperty("updatedAt").GetDateTime().ShouldBeGreaterThanOrEqualTo(created.GetProperty("updatedAt").GetDateTime());
        moved.PropertyNames().ShouldNotContain("secret");
    }

    [Theory]
    [InlineData("""{"events":[]}""", "events")]
    [InlineData("""{"events":["job.done"]}""", "events")]
    [InlineData("""{"url":"not a url"}""", "url")]
    [InlineData("""{"url":""}""", "url")]
    public async Task Update_WithInvalidInput_Returns400(string body, string field)
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var id = (await client.CreateWebhookAsync(Url)).GetProperty("id").GetGuid();

        var problem = await (await client.PatchAsync($"/api/webhooks/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);

        problem.GetProperty("errors").PropertyNames().ShouldBe([field]);
    }

    [Fact]
    public async Task Delete_Returns204_AndTheWebhookWithItsDeliveriesIsGone()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var id = (await client.CreateWebhookAsync(Url)).GetProperty("id").GetGuid();
        await client.PostAsync($"/api/webhooks/{id}/test", null);

        var deleted = await client.DeleteAsync($"/api/webhooks/{id}");

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await deleted.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        await (await client.GetAsync($"/api/webhooks/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, null);
        using var scope = _factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().WebhookDeliveries.CountAsync(d => d.WebhookId == id)).ShouldBe(0);
    }

    [Fact]
    public async Task RotateSecret_ReturnsANewSecret()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var created = await client.CreateWebhookAsync(Url);
        var id = created.GetProperty("id").GetGuid();

        var rotated = await (await client.PostAsync($"/api/webhooks/{id}/rotate-secret", null)).ReadJsonAsync(HttpStatusCode.OK);

        rotated.GetProperty("id").GetGuid().ShouldBe(id);
        rotated.GetProperty("secret").GetString()!.ShouldStartWith("whsec_");
        rotated.GetProperty("secret").GetString().ShouldNotBe(created.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Deliveries_ArePagedNewestFirst()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var id = (await client.CreateWebhookAsync(Url)).GetProperty("id").GetGuid();
        var pings = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            pings.Add((await (await client.PostAsync($"/api/webhooks/{id}/test", null)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        }

        var first = await (await client.GetAsync($"/api/webhooks/{id}/deliveries?page=1&limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await client.GetAsync($"/api/webhooks/{id}/deliveries?page=2&limit=2")).ReadJsonAsync(HttpStatusCode.OK);

        first.PropertyNames().ShouldBe(["items", "limit", "page", "total", "totalPages"]);
        first.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ShouldBe([pings[2], pings[1]]);
        second.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ShouldBe([pings[0]]);
        first.GetProperty("total").GetInt32().ShouldBe(3);
        first.GetProperty("totalPages").GetInt32().ShouldBe(2);
        var ping = first.GetProperty("items")[0];
        ping.GetProperty("status").GetString().ShouldBe("pending");
        ping.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.String);
        await (await client.GetAsync($"/api/webhooks/{id}/deliveries?limit=101")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);
    }

    public static TheoryData<string, string> OwnedRoutes => new()
    {
        { "GET", "/api/webhooks/{id}" },
        { "PATCH", "/api/webhooks/{id}" },
        { "DELETE", "/api/webhooks/{id}" },
        { "POST", "/api/webhooks/{id}/rotate-secret" },
        { "POST", "/api/webhooks/{id}/test" },
        { "GET", "/api/webhooks/{id}/deliveries" },
        { "POST", "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver" },
    };

    [Theory]
    [MemberData(nameof(OwnedRoutes))]
    public async Task Route_WithAnotherUsersWebhook_Returns404_AndChangesNothing(string method, string route)
    {
        var owner = await _factory.CreateUserAsync();
        var stranger = await _factory.CreateUserAsync();
        var ownerClient = _factory.CreateClient(owner.AccessToken);
        var created = await ownerClient.CreateWebhookAsync(Url, "job.completed");
        var id = created.GetProperty("id").GetGuid();
        var deliveryId = (await (await ownerClient.PostAsync($"/api/webhooks/{id}/test", null)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        using var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{id}", id.ToString()).Replace("{deliveryId}", deliveryId.ToString()));
        if (method == "PATCH")
        {
            request.Content = JsonContent.Create(new { enabled = false });
        }

        var problem = await (await _factory.CreateClient(stranger.AccessToken).SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.NotFound, null);

        problem.GetProperty("detail").GetString().ShouldBe("Webhook not found");
        var after = await (await ownerClient.GetAsync($"/api/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        after.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        (await ownerClient.DeliveriesAsync(id)).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Redeliver_OfADeliveryOfAnotherWebhook_Returns404()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var one = (await client.CreateWebhookAsync($"{Url}/one")).GetProperty("id").GetGuid();
        var two = (await client.CreateWebhookAsync($"{Url}/two")).GetProperty("id").GetGuid();
        var deliveryOfOne = (await (await client.PostAsync($"/api/webhooks/{one}/test", null)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

        var problem = await (await client.PostAsync($"/api/webhooks/{two}/deliveries/{deliveryOfOne}/redeliver", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, null);

        problem.GetProperty("detail").GetString().ShouldBe("Delivery not found");
    }

    [Fact]
    public async Task Routes_WithoutAToken_Return401()
    {
        var client = _factory.CreateClient();

        await (await client.GetAsync("/api/webhooks")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, null);
        await (await client.PostAsJsonAsync("/api/webhooks", new { url = Url, events = new[] { "job.completed" } })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, null);
    }

    [Fact]
    public async Task CreateUpdateRotateAndDelete_AreInTheAuditLog_WithoutTheSecret()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var created = await client.CreateWebhookAsync(Url, "job.completed");
        var id = created.GetProperty("id").GetGuid();
        await client.PatchAsJsonAsync($"/api/webhooks/{id}", new { enabled = false });
        var rotated = await (await client.PostAsync($"/api/webhooks/{id}/rotate-secret", null)).ReadJsonAsync(HttpStatusCode.OK);
        await client.DeleteAsync($"/api/webhooks/{id}");

        using var scope = _factory.Services.CreateScope();
        var entries = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditLogs
            .Where(a => a.TargetId == id.ToString()).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync();

        entries.Select(e => e.Action).ShouldBe(["webhook.created", "webhook.updated", "webhook.secret_rotated", "webhook.deleted"]);
        entries.ShouldAllBe(e => e.ActorId == user.Id && e.TargetType == "webhook");
        entries[0].Details!.ShouldContain(Url);
        entries[1].Details!.ShouldContain("\"enabled\":false");
        entries.ShouldAllBe(e => e.Details == null || (!e.Details.Contains(created.GetProperty("secret").GetString()!) && !e.Details.Contains(rotated.GetProperty("secret").GetString()!)));
    }
}
