using CleanBackend.Infrastructure.HealthChecks;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanBackend.Infrastructure.IntegrationTests.HealthChecks;

public sealed class DatabaseHealthCheckTests(DatabasesFixture databases) : IClassFixture<DatabasesFixture>
{
    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Check_WhenReachableButNotYetInitialised_IsUnhealthyMigrating(string provider)
    {
        await using var db = databases[provider].CreateContext();

        var result = await new DatabaseHealthCheck(db, new DatabaseReadiness()).CheckHealthAsync(new HealthCheckContext());

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("migrating");
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Check_WhenReachableAndInitialised_IsHealthyConnected(string provider)
    {
        await using var db = databases[provider].CreateContext();
        var readiness = new DatabaseReadiness();
        readiness.MarkInitialised();

        var result = await new DatabaseHealthCheck(db, readiness).CheckHealthAsync(new HealthCheckContext());

        result.Status.ShouldBe(HealthStatus.Healthy);
        result.Description.ShouldBe("connected");
    }

    [Fact]
    public async Task Check_WhenTheServerIsUnreachable_IsUnhealthyDisconnected()
    {
        // Port 1 on loopback refuses at once: nothing listens there.
        await using var db = new PostgresApplicationDbContext(new DbContextOptionsBuilder<PostgresApplicationDbContext>()
            .UseNpgsql("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2").Options);
        var readiness = new DatabaseReadiness();
        readiness.MarkInitialised();

        var result = await new DatabaseHealthCheck(db, readiness).CheckHealthAsync(new HealthCheckContext());

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("disconnected");
    }
}
