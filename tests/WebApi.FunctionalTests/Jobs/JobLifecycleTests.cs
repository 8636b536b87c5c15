using System.Net;
using System.Net.Http.Json;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>Jobs caught while they wait or run: cancel, shutdown and restart.</summary>
public sealed class JobLifecycleTests
{
    [Fact]
    public async Task Cancel_AQueuedJob_CancelsItAtOnce()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        var canceled = await (await client.PostAsync($"/api/jobs/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        canceled.GetProperty("status").GetString().ShouldBe("canceled");
        canceled.GetProperty("completedAt").GetDateTime().ShouldBe(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        canceled.GetProperty("assets").GetArrayLength().ShouldBe(0);
        await (await client.PostAsync($"/api/jobs/{id}/cancel", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "The job has already finished (canceled) and cannot be canceled.");
    }

    [Fact]
    public async Task Events_ForALateListener_StartWithTheActiveJobs_ThenFollowWhatHappens()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var waiting = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var stream = await factory.CreateClient().GetAsync($"/api/events?access_token={user.AccessToken}", HttpCompletionOption.ResponseHeadersRead, patience.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(patience.Token));
        var first = await reader.NextEventAsync(patience.Token);
        (await client.PostAsync($"/api/jobs/{waiting}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await reader.NextEventAsync(patience.Token);

        stream.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        first.Type.ShouldBe("queued");
        first.Data.GetProperty("jobId").GetGuid().ShouldBe(waiting);
        first.Data.GetProperty("status").GetString().ShouldBe("queued");
        second.Type.ShouldBe("canceled");
        second.Data.GetProperty("status").GetString().ShouldBe("canceled");
    }

    [Fact]
    public async Task Events_WithNoActiveJob_OpenAtOnce_ThenCarryTheNextJob()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var user = await factory.CreateUserAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Nothing is active, so no event is due yet: the headers alone must arrive (EventSource's "open").
        using var stream = await factory.CreateClient().GetAsync($"/api/events?access_token={user.AccessToken}", HttpCompletionOption.ResponseHeadersRead, patience.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(patience.Token));
        var id = (await (await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        var first = await reader.NextEventAsync(patience.Token);

        stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        stream.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        first.Type.ShouldBe("queued");
        first.Data.GetProperty("jobId").GetGuid().ShouldBe(id);
    }

    [Fact]
    public async Task Events_ForSomeoneElsesJob_Return404()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var owner = await factory.CreateUserAsync();
        var stranger = await factory.CreateUserAsync();
        var id = (await (await factory.CreateClient(owner.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        foreach (var path in new[] { $"/api/jobs/{id}/events", $"/api/jobs/{id}", $"/api/jobs/{id}/cancel" })
        {
            using var request = new HttpRequestMessage(path.EndsWith("cancel", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
            await (await factory.CreateClient(stranger.AccessToken).SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job not found");
        }

        await (await factory.CreateClient(stranger.AccessToken).PatchAsJsonAsync($"/api/jobs/{id}", new { title = "x" })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job not found");
    }

    [Fact]
    public async Task Cancel_ARunningJob_StopsTheGenerationAndStoresNothing()
    {
        var modelServer = new HeldModelServer();
        using var factory = CleanBackendFactory.WithModelServer(modelServer);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await modelServer.Started.WaitAsync(TimeSpan.FromSeconds(30));
        (await client.WaitForJobAsync(id, "running")).GetProperty("status").GetString().ShouldBe("running");

        var canceled = await (await client.PostAsync($"/api/jobs/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        canceled.GetProperty("status").GetString().ShouldBe("canceled");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Volatile.Read(ref modelServer.Canceled) == 0)
        {
            await Task.Delay(20, patience.Token);
        }

        modelServer.Release();
        (await (await client.GetAsync($"/api/assets?jobId={id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
        (await (await client.GetAsync($"/api/jobs/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString().ShouldBe("canceled");
    }

    [Fact]
    public async Task AServiceStoppedMidJob_HandsItBack_AndTheNextServiceFinishesIt()
    {
        var settings = new Dictionary<string, string?>();
        var modelServer = new HeldModelServer();
        Guid id;
        Guid userId;
        string root;
        using (var first = CleanBackendFactory.WithModelServer(modelServer))
        {
            root = first.Root;
            var user = await first.CreateUserAsync();
            userId = user.Id;
            var client = first.CreateClient(user.AccessToken);
            id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube", formats = new[] { "glb" } })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
            await modelServer.Started.WaitAsync(TimeSpan.FromSeconds(30));
            settings["Database:ConnectionString"] = $"Data Source={Path.Combine(first.Root, "app.db")}";
            await first.StopServiceAsync();
        }

        await using (var stopped = new SqliteApplicationDbContext(new DbContextOptionsBuilder<SqliteApplicationDbContext>().UseSqlite(settings["Database:ConnectionString"]).Options))
        {
            var job = await stopped.GenerationJobs.SingleAsync(j => j.Id == id);
            job.Status.ShouldBe(JobStatus.Queued);
            job.LeaseOwner.ShouldBeNull();
        }

        using var second = CleanBackendFactory.With(settings);
        using var secondScope = second.Services.CreateScope();
        var db = secondScope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        GenerationJob finished;
        while (true)
        {
            finished = await db.GenerationJobs.AsNoTracking().SingleAsync(j => j.Id == id, patience.Token);
            if (finished.IsFinished)
            {
                break;
            }

            await Task.Delay(50, patience.Token);
        }

        finished.Status.ShouldBe(JobStatus.Completed);
        finished.UserId.ShouldBe(userId);
        finished.Attempts.ShouldBe(2);
        (await db.Assets.CountAsync(a => a.JobId == id, patience.Token)).ShouldBe(2);
        Directory.Delete(root, recursive: true);
    }
}
