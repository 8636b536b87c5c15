using System.Net;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Metrics;

[Collection(SharedServiceCollection.Name)]
public sealed class PerformanceEndpointTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Performance_ShowsTheRoutesJustCalledWithCountsAndPercentiles()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var client = factory.CreateClient(admin.AccessToken);
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await client.GetAsync("/api/chats?page=1&secret=do-not-keep")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await client.GetAsync("/api/admin/performance");
        var body = await response.Content.ReadAsStringAsync();
        var report = await response.ReadJsonAsync(HttpStatusCode.OK);

        report.PropertyNames().ShouldBe(["routes", "slowest", "window"]);
        report.GetProperty("window").PropertyNames().ShouldBe(["requests", "since"]);
        report.GetProperty("window").GetProperty("requests").GetInt32().ShouldBeGreaterThanOrEqualTo(4);
        var live = Route(report, "GET", "health/live");
        live.PropertyNames().ShouldBe(["count", "errors", "method", "p50Ms", "p95Ms", "p99Ms", "route"]);
        live.GetProperty("count").GetInt32().ShouldBeGreaterThanOrEqualTo(3);
        live.GetProperty("errors").GetInt32().ShouldBe(0);
        var p50 = live.GetProperty("p50Ms").GetDouble();
        var p95 = live.GetProperty("p95Ms").GetDouble();
        var p99 = live.GetProperty("p99Ms").GetDouble();
        p50.ShouldBeGreaterThanOrEqualTo(0);
        p95.ShouldBeGreaterThanOrEqualTo(p50);
        p99.ShouldBeGreaterThanOrEqualTo(p95);
        Route(report, "GET", "api/chats").GetProperty("count").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        body.ShouldNotContain("do-not-keep");
    }

    [Fact]
    public async Task Performance_ListsSlowRequestsAboveTheThreshold()
    {
        await using var service = CleanBackendFactory.With(new Dictionary<string, string?> { ["Performance:SlowRequestThresholdMs"] = "0" });
        var admin = await service.CreateUserAsync("user", "admin");
        var client = service.CreateClient(admin.AccessToken);
        var called = await client.GetAsync("/health/live");
        var requestId = called.Headers.GetValues("X-Request-Id").Single();

        var report = await (await client.GetAsync("/api/admin/performance")).ReadJsonAsync(HttpStatusCode.OK);

        var slowest = report.GetProperty("slowest").EnumerateArray().ToList();
        var live = slowest.Single(s => s.GetProperty("requestId").GetString() == requestId);
        live.PropertyNames().ShouldBe(["at", "durationMs", "method", "requestId", "route", "statusCode"]);
        live.GetProperty("method").GetString().ShouldBe("GET");
        live.GetProperty("route").GetString().ShouldBe("health/live");
        live.GetProperty("statusCode").GetInt32().ShouldBe(200);
        live.GetProperty("durationMs").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        var durations = slowest.Select(s => s.GetProperty("durationMs").GetDouble()).ToList();
        durations.ShouldBe([.. durations.OrderDescending()]);
    }

    [Fact]
    public async Task Performance_SlowListIsEmptyBelowTheDefaultThreshold()
    {
        var admin = await factory.CreateUserAsync("user", "admin");
        var client = factory.CreateClient(admin.AccessToken);
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var report = await (await client.GetAsync("/api/admin/performance")).ReadJsonAsync(HttpStatusCode.OK);

        report.GetProperty("slowest").EnumerateArray().ShouldAllBe(s => s.GetProperty("durationMs").GetDouble() >= 500);
    }

    [Fact]
    public async Task Performance_IsForAdminsOnly()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).GetAsync("/api/admin/performance");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Admin access required");
        await (await factory.CreateClient().GetAsync("/api/admin/performance")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, null);
    }

    private static JsonElement Route(JsonElement report, string method, string route) =>
        report.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("method").GetString() == method && r.GetProperty("route").GetString() == route);
}
