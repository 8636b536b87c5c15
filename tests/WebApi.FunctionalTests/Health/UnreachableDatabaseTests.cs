using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Health;

/// <summary>A service whose database is down still starts, says so in its probes, and answers 500 without internals.</summary>
public sealed class UnreachableDatabaseTests : IDisposable
{
    private readonly CleanBackendFactory _factory = CleanBackendFactory.With(
        new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            // Port 1 on loopback refuses connections at once.
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2",
        },
        environment: "Production");

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Health_WhenDatabaseIsDown_Is503UnhealthyDisconnected()
    {
        var response = await _factory.CreateClient().GetAsync("/health");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        json.GetProperty("status").GetString().ShouldBe("unhealthy");
        json.GetProperty("dependencies").GetProperty("database").GetString().ShouldBe("disconnected");
    }

    [Fact]
    public async Task Ready_WhenDatabaseIsDown_Is503NotReady()
    {
        var response = await _factory.CreateClient().GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        json.GetProperty("status").GetString().ShouldBe("not ready");
    }

    [Fact]
    public async Task ApiCall_WhenDatabaseIsDown_Is500ProblemWithoutStackTraceOutsideDevelopment()
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "someone@example.com", password = "Password123" });

        var json = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "An unexpected error occurred");
        json.TryGetProperty("exception", out _).ShouldBeFalse();
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("Npgsql");
    }
}
