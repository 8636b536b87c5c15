using CleanBackend.Infrastructure.ModelServers;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote;

/// <summary>What the tests of both protocols share: a fake server and a client started per test, and stopped after it.</summary>
public abstract class RemoteModelServerTests(string protocol) : IAsyncLifetime
{
    private RemoteModelServerHarness? _harness;

    protected RemoteModelServerHarness Harness => _harness ?? throw new InvalidOperationException("Start the harness first.");

    protected FakeModelServer Server => Harness.Server;

    // IAsyncLifetime, not IAsyncDisposable: xUnit 2 calls only the former.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    protected async Task StartAsync(Action<ModelServerOptions>? configure = null) =>
        _harness = await RemoteModelServerHarness.StartAsync(protocol, configure);

    protected async Task StartInSystemTempAsync() =>
        _harness = await RemoteModelServerHarness.StartAsync(protocol, systemTemp: true);
}
