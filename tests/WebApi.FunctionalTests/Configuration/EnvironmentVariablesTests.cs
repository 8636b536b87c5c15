using System.Collections;
using CleanBackend.WebApi.Configuration;

namespace CleanBackend.WebApi.FunctionalTests.Configuration;

public sealed class EnvironmentVariablesTests
{
    [Fact]
    public void Read_MapsTheSeedsVariablesOntoSections()
    {
        var environment = new Hashtable
        {
            ["PORT"] = "9090",
            ["DATABASE_URL"] = "Host=db",
            ["JWT_EXPIRES_IN"] = "30m",
            ["ALLOWED_ORIGINS"] = "https://app.example",
            ["RATE_LIMIT_ENABLED"] = "false",
            ["UNRELATED"] = "x",
        };

        var settings = EnvironmentVariables.Read(environment).ToDictionary(p => p.Key, p => p.Value);

        settings.ShouldBe(new Dictionary<string, string?>
        {
            ["Server:Port"] = "9090",
            ["Database:ConnectionString"] = "Host=db",
            ["Jwt:ExpiresIn"] = "30m",
            ["Cors:AllowedOrigins"] = "https://app.example",
            ["RateLimiting:Enabled"] = "false",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Read_TakesConnectionStringsDefaultWhenDatabaseUrlIsUnset()
    {
        var settings = EnvironmentVariables.Read(new Hashtable { ["ConnectionStrings__Default"] = "Server=sql" }).ToList();

        settings.ShouldBe([new KeyValuePair<string, string?>("Database:ConnectionString", "Server=sql")]);
    }
}
