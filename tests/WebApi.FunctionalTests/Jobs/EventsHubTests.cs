using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>The SignalR hub spoken to over a raw WebSocket with SignalR's JSON protocol.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class EventsHubTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Hub_SendsTheCallersJobEventsUntilCompleted()
    {
        var user = await factory.CreateUserAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var hub = await HubSocket.ConnectAsync(factory, user.AccessToken, patience.Token);

        var id = (await (await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a green torus" }))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        var invocations = await hub.ReceiveInvocationsUntilAsync("completed", patience.Token);
        var targets = invocations.Select(m => m.GetProperty("target").GetString()).ToList();
        invocations.ShouldAllBe(m => m.GetProperty("arguments")[0].GetProperty("jobId").GetGuid() == id);
        targets.ShouldContain("queued");
        targets[^1].ShouldBe("completed");
        invocations[^1].GetProperty("arguments")[0].GetProperty("progress").GetInt32().ShouldBe(100);
    }

    [Fact]
    public async Task Hub_WithoutAToken_IsRefused()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "hubs/events"), CancellationToken.None));

        error.Message.ShouldContain("401");
    }
}
