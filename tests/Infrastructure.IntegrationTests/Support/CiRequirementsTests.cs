namespace CleanBackend.Infrastructure.IntegrationTests.Support;

public sealed class CiRequirementsTests
{
    /// <summary>CI installs PostgreSQL: there the PostgreSQL half of the database tests must run, not silently drop out.</summary>
    [Fact]
    public void InCi_ThePostgresTestServerIsConfigured()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            TestDatabase.AvailableProviders.ShouldContain("postgres");
        }
    }

    /// <summary>CI installs Redis: the tests of many instances sharing it must run there.</summary>
    [Fact]
    public void InCi_TheRedisTestServerIsConfigured()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            TestRedis.Url.ShouldNotBeNull();
        }
    }
}
