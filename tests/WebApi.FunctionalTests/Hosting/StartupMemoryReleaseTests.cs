using CleanBackend.WebApi.FunctionalTests.Support;
using CleanBackend.WebApi.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.WebApi.FunctionalTests.Hosting;

public sealed class StartupMemoryReleaseTests
{
    [Fact]
    public async Task Started_RunsOneFullCollection()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);

        await new StartupMemoryRelease().StartedAsync(CancellationToken.None);

        GC.CollectionCount(GC.MaxGeneration).ShouldBeGreaterThan(before);
    }

    [Fact]
    public void TheService_RegistersIt()
    {
        using var factory = new CleanBackendFactory();

        factory.Services.GetServices<IHostedService>().OfType<StartupMemoryRelease>().ShouldHaveSingleItem();
    }
}
