using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>The SignalR hub /hubs/events, spoken to with the .NET SignalR client.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class EventsHubTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Hub_SendsTheCallersJobEventsUntilCompleted()
    {
        var user = await factory.CreateUserAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var hub = await EventsHubClient.ConnectAsync(factory, user.AccessToken, patience.Token);

        var id = await CreateJobAsync(user, "a green torus");

        var events = await hub.ReceiveUntilAsync("completed", patience.Token);
        events.ShouldAllBe(e => e.Message.GetProperty("jobId").GetGuid() == id && e.Message.GetProperty("type").GetString() == e.Type);
        events.Select(e => e.Type).Distinct().ShouldBe(["queued", "started", "progress", "completed"], ignoreOrder: false);
        var completed = events[^1].Message;
        completed.PropertyNames().ShouldBe(["at", "error", "jobId", "progress", "status", "type"]);
        completed.GetProperty("status").GetString().ShouldBe("completed");
        completed.GetProperty("progress").GetInt32().ShouldBe(100);
    }

    [Fact]
    public async Task Hub_SendsEachUserOnlyTheirOwnJobsEvents()
    {
        var (ada, bob) = (await factory.CreateUserAsync(), await factory.CreateUserAsync());
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var adasHub = await EventsHubClient.ConnectAsync(factory, ada.AccessToken, patience.Token);
        await using var bobsHub = await EventsHubClient.ConnectAsync(factory, bob.AccessToken, patience.Token);

        var bobsJob = await CreateJobAsync(bob, "a blue cone");
        var adasJob = await CreateJobAsync(ada, "a yellow sphere");

        (await adasHub.ReceiveUntilAsync("completed", patience.Token)).ShouldAllBe(e => e.Message.GetProperty("jobId").GetGuid() == adasJob);
        (await bobsHub.ReceiveUntilAsync("completed", patience.Token)).ShouldAllBe(e => e.Message.GetProperty("jobId").GetGuid() == bobsJob);
    }

    [Fact]
    public async Task Hub_WithoutAToken_IsRefused()
    {
        await using var connection = EventsHubClient.CreateConnection(factory, accessToken: null);

        var error = await Should.ThrowAsync<HttpRequestException>(() => connection.StartAsync());

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<Guid> CreateJobAsync(TestUser user, string prompt) =>
        (await (await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt }))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
}
