using System.Net;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Health;

[Collection(SharedServiceCollection.Name)]
public sealed class HealthTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Health_OnSqlite_IsHealthyWithDatabaseConnected()
    {
        var response = await factory.CreateClient().GetAsync("/health");

        var json = await response.ReadJsonAsync(HttpStatusCode.OK);
        json.PropertyNames().ShouldBe(["dependencies", "status", "timestamp", "uptime", "version"]);
        json.GetProperty("status").GetString().ShouldBe("healthy");
        json.GetProperty("uptime").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        json.GetProperty("timestamp").GetDateTime().ShouldBe(DateTime.UtcNow, TimeSpan.FromMinutes(5));
        json.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
        var dependencies = json.GetProperty("dependencies");
        dependencies.GetProperty("database").GetString().ShouldBe("connected");
        dependencies.GetProperty("storage").GetString().ShouldBe("writable");
    }

    [Fact]
    public async Task Live_Answers200Alive()
    {
        var json = await (await factory.CreateClient().GetAsync("/health/live")).ReadJsonAsync(HttpStatusCode.OK);

        json.GetProperty("status").GetString().ShouldBe("alive");
    }

    [Fact]
    public async Task Ready_OnceMigrated_Answers200WithTheDatabaseOnly()
    {
        var json = await (await factory.CreateClient().GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);

        json.GetProperty("status").GetString().ShouldBe("ready");
        json.GetProperty("dependencies").PropertyNames().ShouldBe(["database"]);
        json.GetProperty("dependencies").GetProperty("database").GetString().ShouldBe("connected");
    }
}
