using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>
/// Event ids and Last-Event-ID: a client that reconnects gets what it missed (or the job's current state) from the
/// database, skips what it has seen, and is told with 204 when a job's stream has nothing left.
/// </summary>
public sealed class EventResumeTests
{
    private static readonly Dictionary<string, string?> NoWorkers = new() { ["Jobs:Enabled"] = "false" };

    [Fact]
    public async Task JobEvents_CarryTheJobsChangeTimeAsId_AndReconnectingWithTheFinalEventsId_Returns204()
    {
        using var factory = CleanBackendFactory.With(NoWorkers);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateJobAsync(client);
        var canceled = await (await client.PostAsync($"/api/jobs/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        var sent = await ReadToEndAsync(client, $"/api/jobs/{id}/events", null);
        using var again = await SendAsync(client, $"/api/jobs/{id}/events", sent[0].Id);

        sent.Select(e => (e.Type, e.Id)).ShouldBe([("canceled", MicrosecondsOf(canceled.GetProperty("completedAt").GetDateTime()))]);
        again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await again.Content.ReadAsStringAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task JobEvents_ReconnectingAfterMissingTheEnd_SendTheFinalStateAndEnd()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = CleanBackendFactory.WithClock(clock, NoWorkers);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateJobAsync(client);
        var queued = await FirstEventAsync(client, $"/api/jobs/{id}/events", null);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await client.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var sent = await ReadToEndAsync(client, $"/api/jobs/{id}/events", queued.Id);

        queued.Type.ShouldBe("queued");
        sent.Select(e => e.Type).ShouldBe(["canceled"]);
        long.Parse(sent[0].Id!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(long.Parse(queued.Id!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task JobEvents_ReconnectingWithNothingNew_SkipTheStateSeen_ThenFollowTheJob()
    {
        using var factory = CleanBackendFactory.With(NoWorkers);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateJobAsync(client);
        var queued = await FirstEventAsync(client, $"/api/jobs/{id}/events", null);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var resumed = await SendAsync(client, $"/api/jobs/{id}/events", queued.Id);
        using var reader = new StreamReader(await resumed.Content.ReadAsStreamAsync(patience.Token));
        (await client.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var sent = await reader.ReadEventsToEndAsync(patience.Token);

        resumed.StatusCode.ShouldBe(HttpStatusCode.OK);
        sent.Select(e => (e.Type, e.Data.GetProperty("jobId").GetGuid())).ShouldBe([("canceled", id)]);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task JobEvents_WithAMalformedLastEventId_StartFromTheCurrentState(string lastEventId)
    {
        using var factory = CleanBackendFactory.With(NoWorkers);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateJobAsync(client);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var stream = await SendAsync(client, $"/api/jobs/{id}/events", lastEventId);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(patience.Token));
        var first = await reader.NextStreamEventAsync(patience.Token);
        (await client.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rest = await reader.ReadEventsToEndAsync(patience.Token);

        stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        first!.Type.ShouldBe("queued");
        rest.Select(e => e.Type).ShouldBe(["canceled"]);
    }

    [Fact]
    public async Task Events_Reconnecting_SendEachJobChangedSinceTheLastId_ThenWhatHappensNext()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = CleanBackendFactory.WithClock(clock, NoWorkers);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var finishedLongAgo = await CreateJobAsync(client);
        (await client.PostAsync($"/api/jobs/{finishedLongAgo}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var untouched = await CreateJobAsync(client);
        clock.Advance(TimeSpan.FromMinutes(1));
        var followed = await CreateJobAsync(client);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        List<StreamEvent> seen;
        using (var first = await SendAsync(client, "/api/events", null))
        {
            using var reader = new StreamReader(await first.Content.ReadAsStreamAsync(patience.Token));
            seen = [(await reader.NextStreamEventAsync(patience.Token))!, (await reader.NextStreamEventAsync(patience.Token))!];
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        (await client.PostAsync($"/api/jobs/{followed}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromSeconds(1));
        var created = await CreateJobAsync(client);
        using var resumed = await SendAsync(client, "/api/events", seen[^1].Id);
        using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync(patience.Token));
        var missed = new[] { (await resumedReader.NextStreamEventAsync(patience.Token))!, (await resumedReader.NextStreamEventAsync(patience.Token))! };
        (await client.PostAsync($"/api/jobs/{untouched}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var live = (await resumedReader.NextStreamEventAsync(patience.Token))!;

        seen.Select(e => (e.Type, e.Data.GetProperty("jobId").GetGuid())).ShouldBe([("queued", untouched), ("queued", followed)]);
        missed.Select(e => (e.Type, e.Data.GetProperty("jobId").GetGuid())).ShouldBe([("canceled", followed), ("queued", created)]);
        (live.Type, live.Data.GetProperty("jobId").GetGuid()).ShouldBe(("canceled", untouched));
    }

    [Fact]
    public async Task JobEvents_ResumedOnAnotherInstance_ContinueFromTheDatabase()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var pair = CleanBackendFactory.Pair(settingsA: NoWorkers, settingsB: NoWorkers, clock: clock);
        var user = await pair.A.CreateUserAsync();
        var a = pair.A.CreateClient(user.AccessToken);
        var b = pair.B.CreateClient(user.AccessToken);
        var id = await CreateJobAsync(a);
        var queued = await FirstEventAsync(a, $"/api/jobs/{id}/events", null);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await a.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var sent = await ReadToEndAsync(b, $"/api/jobs/{id}/events", queued.Id);
        using var afterTheEnd = await SendAsync(b, $"/api/jobs/{id}/events", sent[^1].Id);

        sent.Select(e => e.Type).ShouldBe(["canceled"]);
        afterTheEnd.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    private static async Task<Guid> CreateJobAsync(HttpClient client) =>
        (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("job").GetProperty("id").GetGuid();

    private static string MicrosecondsOf(DateTime at) =>
        ((at.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<StreamEvent> FirstEventAsync(HttpClient client, string path, string? lastEventId)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await SendAsync(client, path, lastEventId);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(patience.Token));
        return await reader.NextStreamEventAsync(patience.Token) ?? throw new ShouldAssertException("The stream ended without an event.");
    }

    private static async Task<List<StreamEvent>> ReadToEndAsync(HttpClient client, string path, string? lastEventId)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await SendAsync(client, path, lastEventId);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(patience.Token));
        return await reader.ReadEventsToEndAsync(patience.Token);
    }
}
