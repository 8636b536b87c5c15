using System.Diagnostics;
using System.Net;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.ApiKeys;

/// <summary>Two instances on one database and one Redis server: a key revoked on one is refused by the other at once
/// (within a second, where the cache alone would hold it for 30 s).</summary>
public sealed class ApiKeyInstancesTests
{
    [RedisFact]
    public async Task KeyRevokedOnOneInstance_IsRefusedOnTheOtherAtOnce()
    {
        using var pair = CleanBackendFactory.Pair(settingsB: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var (a, b) = (pair.A, pair.B);
        var user = await a.CreateUserAsync();
        var key = await a.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"]);
        var onB = b.CreateKeyClient(key.Secret());

        // B now holds the key's answer in its cache.
        (await onB.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.CreateClient(user.AccessToken).DeleteAsync($"/api/api-keys/{key.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await FirstAnswerOtherThanOkAsync(onB)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "API key has been revoked");
    }

    [RedisFact]
    public async Task KeyOfAnOwnerDeactivatedOnOneInstance_IsRefusedOnTheOtherAtOnce()
    {
        using var pair = CleanBackendFactory.Pair(settingsB: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var (a, b) = (pair.A, pair.B);
        var admin = await a.CreateUserAsync("admin", "user");
        var user = await a.CreateUserAsync();
        var key = await a.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read"]);
        var onB = b.CreateKeyClient(key.Secret());
        (await onB.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await a.CreateClient(admin.AccessToken).PostAsync($"/api/admin/users/{user.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await FirstAnswerOtherThanOkAsync(onB)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Account is deactivated");
    }

    /// <summary>
    /// The news crosses Redis in a moment, not in the same instant: B's answer within a second, where without Redis it
    /// would keep its cached answer for <see cref="CleanBackend.Infrastructure.Identity.AccessTokenValidator.CacheFor"/>.
    /// </summary>
    private static async Task<HttpResponseMessage> FirstAnswerOtherThanOkAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await client.GetAsync("/api/jobs");
            if (answer.StatusCode != HttpStatusCode.OK || clock.Elapsed > TimeSpan.FromSeconds(1))
            {
                return answer;
            }

            await Task.Delay(20);
        }
    }
}
