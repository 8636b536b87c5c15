using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Redis;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.WebApi.FunctionalTests.Scaling;

/// <summary>
/// Two instances of the service on one database and one real Redis server: what one instance does, the other
/// knows at once (events, cancels, revocations, rate limits). The cluster test runs the same behind nginx.
/// </summary>
public sealed class ManyInstancesTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [RedisFact]
    public async Task JobEvents_OfAJobRunOnOneInstance_ReachSubscribersOnTheOther()
    {
        using var pair = CleanBackendFactory.Pair(settingsB: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var (a, b) = (pair.A, pair.B);
        var user = await a.CreateUserAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await b.CreateClient(user.AccessToken).GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, patience.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(patience.Token));

        var id = (await (await a.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" }, patience.Token))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        var types = new List<string>();
        while (types.LastOrDefault() is not "completed" and not "failed")
        {
            var (type, data) = await reader.NextEventAsync(patience.Token);
            data.GetProperty("jobId").GetGuid().ShouldBe(id);
            types.Add(type);
        }

        types[0].ShouldBe("queued");
        types[1].ShouldBe("started");
        types[^1].ShouldBe("completed");
    }

    [RedisFact]
    public async Task HubEvents_OfAJobRunOnOneInstance_ReachHubClientsOnTheOther()
    {
        using var pair = CleanBackendFactory.Pair(settingsB: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var (a, b) = (pair.A, pair.B);
        var user = await a.CreateUserAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var hub = await EventsHubClient.ConnectAsync(b, user.AccessToken, patience.Token);

        var id = (await (await a.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" }, patience.Token))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        var events = await hub.ReceiveUntilAsync("completed", patience.Token);
        events.ShouldAllBe(e => e.Message.GetProperty("jobId").GetGuid() == id);
        events.Select(e => e.Type).ShouldContain("started");
    }

    [RedisFact]
    public async Task Analytics_CachedOnOneInstance_AreDroppedWhenAJobEndsOnTheOther()
    {
        using var pair = CleanBackendFactory.Pair(settingsB: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var (a, b) = (pair.A, pair.B);
        var user = await a.CreateUserAsync();
        var onB = b.CreateClient(user.AccessToken);
        var before = await (await onB.GetAsync("/api/analytics/stats")).ReadJsonAsync(HttpStatusCode.OK);

        var id = (await (await a.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" }))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await a.CreateClient(user.AccessToken).WaitForJobAsync(id);

        var clock = Stopwatch.StartNew();
        System.Text.Json.JsonElement after;
        do
        {
            after = await (await onB.GetAsync("/api/analytics/stats")).ReadJsonAsync(HttpStatusCode.OK);
        }
        while (after.GetRawText() == before.GetRawText() && clock.Elapsed < OneSecond);

        after.GetRawText().ShouldNotBe(before.GetRawText());
    }

    [RedisFact]
    public async Task DataProtection_WhatOneInstanceProtects_TheOtherReads_WithTheKeysInRedis()
    {
        using var pair = CleanBackendFactory.Pair();
        var (a, b) = (pair.A, pair.B);
        var protectedByA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("shared secret");

        b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedByA).ShouldBe("shared secret");
        // The key ring lives in Redis, not in a folder that only instances on one host would share.
        var redis = a.Services.GetRequiredService<RedisConnection>();
        (await redis.Multiplexer.GetDatabase().ListLengthAsync(redis.KeyPrefix + "data-protection-keys")).ShouldBe(1);
    }

    [RedisFact]
    public async Task Cancel_ThroughTheOtherInstance_StopsTheGenerationWhereItRuns()
    {
        var modelServer = new HeldModelServer();
        using var pair = CleanBackendFactory.Pair(settingsB: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" }, modelServerA: modelServer);
        var (a, b) = (pair.A, pair.B);
        var user = await a.CreateUserAsync();
        var id = (await (await b.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" }))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await modelServer.Started.WaitAsync(TimeSpan.FromSeconds(30));

        var canceled = await b.CreateClient(user.AccessToken).PostAsync($"/api/jobs/{id}/cancel", null);
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref modelServer.Canceled) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        (await canceled.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString().ShouldBe("canceled");
        modelServer.Canceled.ShouldBe(1);
        clock.Elapsed.ShouldBeLessThan(OneSecond);
        (await a.CreateClient(user.AccessToken).WaitForJobAsync(id, "canceled")).GetProperty("status").GetString().ShouldBe("canceled");
    }

    [RedisFact]
    public async Task Logout_OnOneInstance_MakesTheTokenFailOnTheOther()
    {
        using var pair = CleanBackendFactory.Pair();
        var (a, b) = (pair.A, pair.B);
        var user = await a.CreateUserAsync();
        var onB = b.CreateClient(user.AccessToken);
        (await onB.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await a.CreateClient(user.AccessToken).PostAsJsonAsync("/api/auth/logout", new { refreshToken = user.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await FirstAnswerOtherThanOkAsync(onB, "/api/auth/me")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [RedisFact]
    public async Task Deactivation_OnOneInstance_RefusesTheUserOnTheOther()
    {
        using var pair = CleanBackendFactory.Pair();
        var (a, b) = (pair.A, pair.B);
        var admin = await a.CreateUserAsync(Roles.Admin);
        var user = await a.CreateUserAsync();
        var onB = b.CreateClient(user.AccessToken);
        (await onB.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await a.CreateClient(admin.AccessToken).PostAsync($"/api/admin/users/{user.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await FirstAnswerOtherThanOkAsync(onB, "/api/jobs")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [RedisFact]
    public async Task WrongPasswords_SpreadOverTwoInstances_Hit429AtTheSingleInstanceLimit()
    {
        var limits = new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:Login:PermitLimit"] = "10",
            ["RateLimiting:Login:WindowSeconds"] = "3600",
        };
        using var pair = CleanBackendFactory.Pair(limits, limits);
        var (a, b) = (pair.A, pair.B);
        var clients = new[] { a.CreateClient(), b.CreateClient() };

        for (var i = 0; i < 10; i++)
        {
            (await clients[i % 2].PostAsJsonAsync("/api/auth/login", new { email = "a@example.com", password = "Wrong1234" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        foreach (var client in clients)
        {
            var limited = await client.PostAsJsonAsync("/api/auth/login", new { email = "a@example.com", password = "Wrong1234" });
            await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, problemError: null);
            // The window is an hour long and has only just begun.
            int.Parse(limited.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture).ShouldBeInRange(3500, 3600);
        }
    }

    [Fact]
    public async Task RedisUnreachable_TheServiceKeepsAnswering_CountsLimitsItself_AndHealthSaysDegraded()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["Redis:Url"] = TestRedis.UnreachableUrl,
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:Login:PermitLimit"] = "3",
            ["RateLimiting:Login:WindowSeconds"] = "600",
        });
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var health = await (await client.GetAsync("/health")).ReadJsonAsync(HttpStatusCode.OK);
        (await client.PostAsJsonAsync("/api/chats", new { title = "Still here" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = user.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var logins = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            logins.Add((await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "Wrong1234" })).StatusCode);
        }

        health.GetProperty("status").GetString().ShouldBe("degraded");
        health.GetProperty("dependencies").GetProperty("redis").GetString().ShouldBe("disconnected");
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        logins.ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]);
    }

    [RedisFact]
    public async Task Health_WithRedis_SaysConnected()
    {
        using var pair = CleanBackendFactory.Pair();
        var (a, b) = (pair.A, pair.B);

        var health = await (await a.CreateClient().GetAsync("/health")).ReadJsonAsync(HttpStatusCode.OK);

        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("dependencies").GetProperty("redis").GetString().ShouldBe("connected");
    }

    /// <summary>Asks until the answer is no longer 200 OK, for at most a second.</summary>
    private static async Task<HttpStatusCode> FirstAnswerOtherThanOkAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.GetAsync(path)).StatusCode;
            if (status != HttpStatusCode.OK || clock.Elapsed > OneSecond)
            {
                return status;
            }

            await Task.Delay(20);
        }
    }
}
