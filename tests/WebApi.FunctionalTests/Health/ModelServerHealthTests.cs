using System.Net;
using System.Net.Sockets;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Health;

/// <summary>/health with a remote model server that accepts connections and never answers.</summary>
public sealed class ModelServerHealthTests : IAsyncLifetime
{
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private CleanBackendFactory _factory = null!;

    public Task InitializeAsync()
    {
        _silent.Start();
        _ = AcceptForeverAsync();
        _factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["ModelServer:Url"] = $"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}",
            ["ModelServer:RequestTimeout"] = "30s",
            ["Jobs:Enabled"] = "false",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _silent.Stop();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task Health_WhenTheModelServerHangs_Is200DegradedWithTheModelServerUnreachable()
    {
        var response = await _factory.CreateClient().GetAsync("/health");

        var json = await response.ReadJsonAsync(HttpStatusCode.OK);
        json.GetProperty("status").GetString().ShouldBe("degraded");
        var dependencies = json.GetProperty("dependencies");
        dependencies.GetProperty("database").GetString().ShouldBe("connected");
        dependencies.GetProperty("modelServer").GetString().ShouldBe("unreachable");
    }

    [Fact]
    public async Task Ready_WhenTheModelServerHangs_IsReady()
    {
        var json = await (await _factory.CreateClient().GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);

        json.GetProperty("status").GetString().ShouldBe("ready");
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
            {
                _accepted.Add(await _silent.AcceptSocketAsync());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
