using System.Net;
using System.Net.Http.Json;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.ApiKeys;

/// <summary>A key authenticates as its owner in either header, until it is revoked, expires or its owner goes.</summary>
public sealed class ApiKeyAuthenticationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Key_InEitherHeader_ActsAsItsOwner(bool asApiKeyHeader)
    {
        using var factory = new CleanBackendFactory();
        var user = await factory.CreateUserAsync();
        var tokenClient = factory.CreateClient(user.AccessToken);
        var chat = (await (await tokenClient.PostAsJsonAsync("/api/chats", new { title = "Made with a token" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var key = await tokenClient.CreateApiKeyAsync(["chats:read", "chats:write"]);
        var keyClient = factory.CreateKeyClient(key.Secret(), asApiKeyHeader);

        var chats = await (await keyClient.GetAsync("/api/chats")).ReadJsonAsync(HttpStatusCode.OK);
        var created = await (await keyClient.PostAsJsonAsync("/api/chats", new { title = "Made with a key" })).ReadJsonAsync(HttpStatusCode.Created);

        chats.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([chat]);
        var mine = await (await tokenClient.GetAsync($"/api/chats/{created.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);
        mine.GetProperty("title").GetString().ShouldBe("Made with a key");
    }

    [Theory]
    [InlineData("Authorization", "Bearer cbk_live_notAKeyAtAll0000000000000000000000000000000")]
    [InlineData("X-API-Key", "cbk_live_notAKeyAtAll0000000000000000000000000000000")]
    [InlineData("X-API-Key", "not-even-the-shape")]
    public async Task UnknownKey_Is401(string header, string value)
    {
        using var factory = new CleanBackendFactory();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);

        await (await client.GetAsync("/api/jobs")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid API key");
    }

    [Fact]
    public async Task Tokens_StillAuthenticate_BesideKeys()
    {
        using var factory = new CleanBackendFactory();
        var user = await factory.CreateUserAsync();

        (await factory.CreateClient(user.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await factory.CreateClient("not.a.token").GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired token");
    }

    [Fact]
    public async Task Revoke_StopsTheKeyOnItsNextRequest()
    {
        using var factory = new CleanBackendFactory();
        var user = await factory.CreateUserAsync();
        var tokenClient = factory.CreateClient(user.AccessToken);
        var key = await tokenClient.CreateApiKeyAsync(["jobs:read"]);
        var keyClient = factory.CreateKeyClient(key.Secret());
        (await keyClient.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await tokenClient.DeleteAsync($"/api/api-keys/{key.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await keyClient.GetAsync("/api/jobs")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "API key has been revoked");
        await (await factory.CreateKeyClient(key.Secret(), asApiKeyHeader: true).GetAsync("/api/jobs"))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "API key has been revoked");
    }

    [Fact]
    public async Task OwnerDeactivated_StopsTheKey_AndReactivationRestoresIt()
    {
        using var factory = new CleanBackendFactory();
        var admin = await factory.CreateUserAsync("admin", "user");
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"]);
        var keyClient = factory.CreateKeyClient(key.Secret());
        (await keyClient.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var adminClient = factory.CreateClient(admin.AccessToken);

        (await adminClient.PostAsync($"/api/admin/users/{user.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await keyClient.GetAsync("/api/jobs")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Account is deactivated");

        (await adminClient.PostAsync($"/api/admin/users/{user.Id}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await keyClient.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AccountDeleted_RemovesTheKey_AndRecordsItsRevocation()
    {
        using var factory = new CleanBackendFactory();
        var user = await factory.CreateUserAsync();
        var tokenClient = factory.CreateClient(user.AccessToken);
        var key = await tokenClient.CreateApiKeyAsync(["jobs:read"]);
        var keyClient = factory.CreateKeyClient(key.Secret());
        (await keyClient.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = user.Password }) };
        (await tokenClient.SendAsync(delete)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await keyClient.GetAsync("/api/jobs")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid API key");
        await factory.SeedAsync(db =>
        {
            db.ApiKeys.Count(k => k.Id == key.Id()).ShouldBe(0);
            var audit = db.AuditLogs.Single(a => a.Action == "api_key.revoked" && a.TargetId == key.Id().ToString());
            audit.ActorId.ShouldBe(user.Id);
            audit.Details!.ShouldContain("\"reason\":\"account_deleted\"");
        });
    }

    [Fact]
    public async Task AccountDeletedByAnAdmin_RemovesTheKey()
    {
        using var factory = new CleanBackendFactory();
        var admin = await factory.CreateUserAsync("admin", "user");
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"]);
        var keyClient = factory.CreateKeyClient(key.Secret());
        (await keyClient.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await factory.CreateClient(admin.AccessToken).DeleteAsync($"/api/admin/users/{user.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await keyClient.GetAsync("/api/jobs")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid API key");
        await factory.SeedAsync(db => db.AuditLogs.Single(a => a.Action == "api_key.revoked" && a.TargetId == key.Id().ToString()).ActorId.ShouldBe(admin.Id));
    }

    [Fact]
    public async Task PasswordChange_LeavesKeysWorking()
    {
        using var factory = new CleanBackendFactory();
        var user = await factory.CreateUserAsync();
        var tokenClient = factory.CreateClient(user.AccessToken);
        var key = await tokenClient.CreateApiKeyAsync(["jobs:read"]);

        (await tokenClient.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = user.Password, newPassword = "NewPassword456" })).IsSuccessStatusCode.ShouldBeTrue();

        (await factory.CreateKeyClient(key.Secret()).GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Key_PastItsExpiry_Is401()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = CleanBackendFactory.WithClock(clock);
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"], expiresAt: clock.GetUtcNow().UtcDateTime.AddHours(1));
        var keyClient = factory.CreateKeyClient(key.Secret());
        clock.Advance(TimeSpan.FromMinutes(59));
        (await keyClient.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromMinutes(1));

        await (await keyClient.GetAsync("/api/jobs")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "API key has expired");
    }

    [Fact]
    public async Task LastUsedAt_IsWrittenByTheFlush_NotByEachRequest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = CleanBackendFactory.WithClock(clock);
        var user = await factory.CreateUserAsync();
        var tokenClient = factory.CreateClient(user.AccessToken);
        var key = await tokenClient.CreateApiKeyAsync(["jobs:read"]);
        var unused = await tokenClient.CreateApiKeyAsync(["jobs:read"], name: "unused");
        clock.Advance(TimeSpan.FromMinutes(5));
        var usedAt = clock.GetUtcNow().UtcDateTime;
        (await factory.CreateKeyClient(key.Secret()).GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await LastUsedAsync(tokenClient, key.Id())).ShouldBeNull();
        await factory.Services.GetRequiredService<ApiKeyUsage>().FlushAsync(CancellationToken.None);

        (await LastUsedAsync(tokenClient, key.Id())).ShouldBe(usedAt);
        (await LastUsedAsync(tokenClient, unused.Id())).ShouldBeNull();
    }

    private static async Task<DateTime?> LastUsedAsync(HttpClient tokenClient, Guid keyId)
    {
        var list = await (await tokenClient.GetAsync("/api/api-keys")).ReadJsonAsync(HttpStatusCode.OK);
        var lastUsed = list.EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == keyId).GetProperty("lastUsedAt");
        return lastUsed.ValueKind == System.Text.Json.JsonValueKind.Null ? null : lastUsed.GetDateTime();
    }
}
