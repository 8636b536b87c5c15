namespace CleanBackend.WebApi.Infrastructure;

/// <summary>
/// Start-up (configuration, the EF Core model, migrations, routes, the first JIT work) leaves some ten megabytes of
/// garbage that an idle service keeps until its next collection, which may be hours away. One full, compacting
/// collection once every hosted service has started hands that memory back to the system.
/// </summary>
internal sealed class StartupMemoryRelease : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
