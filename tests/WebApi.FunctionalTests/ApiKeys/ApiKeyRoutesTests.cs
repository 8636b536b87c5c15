using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.ApiKeys;

/// <summary>POST, GET and DELETE /api/api-keys on each database: the secret once, the list without it, the limit, the audit.</summary>
public sealed partial class ApiKeyRoutesTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Create_AnswersTheKeyWithItsSecretOnce_AndStoresOnlyItsHash(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var expiresAt = DateTime.UtcNow.AddDays(30);

        var created = await client.CreateApiKeyAsync(["jobs:write", "jobs:read"], name: "  Build server ", expiresAt: expiresAt);

        created.PropertyNames().ShouldBe(["createdAt", "expiresAt", "id", "lastUsedAt", "mode", "name", "prefix", "scopes", "secret"]);
        created.GetProperty("name").GetString().ShouldBe("Build server");
        created.GetProperty("scopes").Strings().ShouldBe(["jobs:read", "jobs:write"]);
        created.GetProperty("mode").GetString().ShouldBe("live");
        created.GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        created.GetProperty("expiresAt").GetDateTime().ShouldBe(expiresAt, TimeSpan.FromMilliseconds(1));
        created.GetProperty("createdAt").GetDateTime().ShouldBe(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        var secret = created.Secret();
        LiveSecret().IsMatch(secret).ShouldBeTrue(secret);
        created.GetProperty("prefix").GetString().ShouldBe(secret[..17]);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Id());
        stored.SecretHash.ShouldBe(CleanBackend.Domain.Accounts.SecretHash.Of(secret));
        stored.SecretHash.ShouldNotContain(secret[9..]);
        var audit = await db.AuditLogs.AsNoTracking().SingleAsync(a => a.Action == "api_key.created" && a.TargetId == created.Id().ToString());
        (audit.ActorId, audit.TargetType).ShouldBe(((Guid?)user.Id, "api_key"));
        audit.Details!.ShouldNotContain(secret);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Create_InTestMode_AnswersATestSecret(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();

        var created = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"], mode: "test");

        created.GetProperty("mode").GetString().ShouldBe("test");
        TestSecret().IsMatch(created.Secret()).ShouldBeTrue(created.Secret());
        created.GetProperty("prefix").GetString().ShouldBe(created.Secret()[..17]);
        created.GetProperty("expiresAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task List_ShowsUnrevokedKeysNewestFirst_WithoutSecrets(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var first = await client.CreateApiKeyAsync(["jobs:read"], name: "first");
        var second = await client.CreateApiKeyAsync(["assets:read"], name: "second");
        var third = await client.CreateApiKeyAsync(["chats:read"], name: "third", mode: "test");
        (await client.DeleteAsync($"/api/api-keys/{second.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var other = await factory.CreateUserAsync();
        await factory.CreateClient(other.AccessToken).CreateApiKeyAsync(name: "not mine");

        var list = await (await client.GetAsync("/api/api-keys")).ReadJsonAsync(HttpStatusCode.OK);

        list.EnumerateArray().Select(k => k.GetProperty("name").GetString()).ShouldBe(["third", "first"]);
        var shown = list[0];
        shown.PropertyNames().ShouldBe(["createdAt", "expiresAt", "id", "lastUsedAt", "mode", "name", "prefix", "scopes"]);
        (shown.GetProperty("id").GetGuid(), shown.GetProperty("prefix").GetString(), shown.GetProperty("mode").GetString())
            .ShouldBe((third.Id(), third.GetProperty("prefix").GetString(), "test"));
        shown.GetProperty("scopes").Strings().ShouldBe(["chats:read"]);
        list.GetRawText().ShouldNotContain(first.Secret());
        list.GetRawText().ShouldNotContain(third.Secret());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Revoke_RemovesTheKey_AndIsAudited(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var key = await client.CreateApiKeyAsync(["jobs:read"]);

        var revoked = await client.DeleteAsync($"/api/api-keys/{key.Id()}");

        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await revoked.Content.ReadAsStringAsync()).ShouldBeEmpty();
        await (await client.DeleteAsync($"/api/api-keys/{key.Id()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "API key not found");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        (await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id())).RevokedAt.ShouldNotBeNull();
        var audit = await db.AuditLogs.AsNoTracking().SingleAsync(a => a.Action == "api_key.revoked" && a.TargetId == key.Id().ToString());
        audit.ActorId.ShouldBe(user.Id);
        audit.Details!.ShouldContain("\"reason\":\"revoked\"");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Revoke_WhenKeyIsAnotherUsers_Returns404AndKeepsIt(string provider)
    {
        var factory = services[provider];
        var owner = await factory.CreateUserAsync();
        var key = await factory.CreateClient(owner.AccessToken).CreateApiKeyAsync(["jobs:read"]);
        var intruder = await factory.CreateUserAsync();

        await (await factory.CreateClient(intruder.AccessToken).DeleteAsync($"/api/api-keys/{key.Id()}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "API key not found");
        await (await factory.CreateClient(intruder.AccessToken).DeleteAsync($"/api/api-keys/{Guid.NewGuid()}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "API key not found");

        (await factory.CreateKeyClient(key.Secret()).GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Create_BeyondTenLiveKeys_Is409_UntilOneIsRevoked(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var keys = new List<JsonElement>();
        for (var i = 0; i < 10; i++)
        {
            keys.Add(await client.CreateApiKeyAsync(["jobs:read"], name: $"key {i}"));
        }

        await (await client.PostAsJsonAsync("/api/api-keys", new { name = "eleventh", scopes = new[] { "jobs:read" } }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "You already have 10 API keys, the most one user may hold; revoke one first.");

        (await client.DeleteAsync($"/api/api-keys/{keys[3].Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.CreateApiKeyAsync(["jobs:read"], name: "eleventh")).GetProperty("name").GetString().ShouldBe("eleventh");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Key_Authenticates_AndItsLastUseIsWrittenByTheFlush(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var key = await client.CreateApiKeyAsync(["jobs:read", "chats:read"]);

        (await factory.CreateKeyClient(key.Secret(), asApiKeyHeader: true).GetAsync("/api/chats")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await factory.Services.GetRequiredService<ApiKeyUsage>().FlushAsync(CancellationToken.None);

        var listed = (await (await client.GetAsync("/api/api-keys")).ReadJsonAsync(HttpStatusCode.OK))[0];
        listed.GetProperty("lastUsedAt").GetDateTime().ShouldBe(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        listed.GetProperty("scopes").Strings().ShouldBe(["jobs:read", "chats:read"]);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { """{"scopes":["jobs:read"]}""", "name", "Name is required" },
        { """{"name":"   ","scopes":["jobs:read"]}""", "name", "Name is required" },
        { $$"""{"name":"{{new string('n', 101)}}","scopes":["jobs:read"]}""", "name", "Name must be at most 100 characters" },
        { """{"name":"ci"}""", "scopes", "At least one scope is required" },
        { """{"name":"ci","scopes":[]}""", "scopes", "At least one scope is required" },
        { """{"name":"ci","scopes":["jobs:read","admin"]}""", "scopes[1]", "Unknown scope 'admin'; known scopes: jobs:read, jobs:write, assets:read, assets:write, chats:read, chats:write, usage:read" },
        { """{"name":"ci","scopes":["jobs:read"],"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt", "Expiry must be in the future" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidInput_Is400NamingTheField(string body, string field, string message)
    {
        var factory = services["sqlite"];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var problem = await (await client.PostAsync("/api/api-keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, message);

        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(message);
        (await (await client.GetAsync("/api/api-keys")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Create_WithAnUnknownMode_Is400()
    {
        var factory = services["sqlite"];
        var user = await factory.CreateUserAsync();

        var answer = await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/api-keys", new { name = "ci", scopes = new[] { "jobs:read" }, mode = "sandbox" });

        var problem = await answer.ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldContain(n => n.Contains("mode", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Routes_WithoutSignIn_Are401()
    {
        var client = services["sqlite"].CreateClient();

        await (await client.GetAsync("/api/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        await (await client.PostAsJsonAsync("/api/api-keys", new { name = "ci", scopes = new[] { "jobs:read" } })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        await (await client.DeleteAsync($"/api/api-keys/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
    }

    [GeneratedRegex("^cbk_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex LiveSecret();

    [GeneratedRegex("^cbk_test_[A-Za-z0-9_-]{43}$")]
    private static partial Regex TestSecret();
}
