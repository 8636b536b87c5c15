using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Redis;

/// <summary>
/// Subscribes to the shared channels when the service starts: an instance must hear other instances' events and
/// revocations before any request of its own happens to need the services that listen to them.
/// </summary>
internal sealed class SharedChannelsStartup(ITokenStateCache tokenState, IJobEventBus events) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(tokenState);
        GC.KeepAlive(events);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
