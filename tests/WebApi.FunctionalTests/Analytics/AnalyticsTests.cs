using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Analytics;

/// <summary>Analytics over data made directly in the database, with answers known in advance.</summary>
public sealed class AnalyticsTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GenerationMetrics_18Of20Completed_Is90Point0_WithTheCompletedJobsAverageDuration(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var now = DateTime.UtcNow;
        await factory.SeedAsync(db =>
        {
            for (var i = 0; i < 18; i++)
            {
                db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "a cube", now.AddHours(-i - 1), JobStatus.Completed, durationMs: i % 2 == 0 ? 2000 : 4000));
            }

            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "a cube", now.AddHours(-30), JobStatus.Failed, durationMs: 500));
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "a cube", now.AddHours(-31), JobStatus.Canceled, durationMs: 100));
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "too old", now.AddDays(-9), JobStatus.Failed, durationMs: 100));
        });

        var metrics = await (await factory.CreateClient(user.AccessToken).GetAsync("/api/analytics/generation-metrics?days=7")).ReadJsonAsync(HttpStatusCode.OK);

        metrics.GetRawText().ShouldBe("""{"period":{"days":7},"total":20,"completed":18,"failed":1,"canceled":1,"successRate":90,"avgDurationMs":3000,"avgDurationSec":3}""");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Dashboard_HasOneRowPerDay_WithZerosForDaysWithoutJobs(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var today = DateTime.UtcNow.Date;
        await factory.SeedAsync(db =>
        {
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "aaa", today.AddDays(-2).AddHours(1), JobStatus.Completed, 1000));
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "bbb", today.AddDays(-2).AddHours(2), JobStatus.Completed, 1000));
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "ccc", today.AddDays(-2).AddHours(3), JobStatus.Failed, 1000));
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "ddd", today.AddMinutes(1), JobStatus.Completed, 1000));
            db.Assets.Add(new Asset(user.Id, null, AssetFormat.Glb, "a.glb", 10, new string('a', 64), $"t/{Guid.NewGuid():N}.glb", today));
            db.Assets.Add(new Asset(user.Id, null, AssetFormat.Glb, "b.glb", 10, new string('a', 64), $"t/{Guid.NewGuid():N}.glb", today));
            db.Assets.Add(new Asset(user.Id, null, AssetFormat.Png, "c.png", 10, new string('a', 64), $"t/{Guid.NewGuid():N}.png", today));
        });

        var dashboard = await (await factory.CreateClient(user.AccessToken).GetAsync("/api/analytics/dashboard?days=5")).ReadJsonAsync(HttpStatusCode.OK);

        dashboard.PropertyNames().ShouldBe(["assetsByFormat", "jobsOverTime", "period", "recentChats", "recentJobs"]);
        dashboard.GetProperty("period").GetProperty("days").GetInt32().ShouldBe(5);
        dashboard.GetProperty("jobsOverTime").GetRawText().ShouldBe(
            "[" + string.Join(',', Enumerable.Range(0, 5).Select(i =>
            {
                var day = today.AddDays(i - 4);
                var (count, completed, failed) = i switch { 2 => (3, 2, 1), 4 => (1, 1, 0), _ => (0, 0, 0) };
                return $$"""{"date":"{{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}}","count":{{count}},"completed":{{completed}},"failed":{{failed}}}""";
            })) + "]");
        dashboard.GetProperty("assetsByFormat").GetRawText().ShouldBe("""[{"format":"glb","count":2},{"format":"png","count":1}]""");
        dashboard.GetProperty("recentJobs").GetArrayLength().ShouldBe(4);
        await (await factory.CreateClient(user.AccessToken).GetAsync("/api/analytics/dashboard?days=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Days' must be between 1 and 365. You entered 0.");
        await (await factory.CreateClient(user.AccessToken).GetAsync("/api/analytics/dashboard?days=366")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Days' must be between 1 and 365. You entered 366.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StatsPopularPromptsAndChatStats_CountTheCallersOwnData(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var other = await factory.CreateUserAsync();
        var now = DateTime.UtcNow;
        await factory.SeedAsync(db =>
        {
            foreach (var (prompt, minutes, status) in new[] { ("a cube", 1, JobStatus.Completed), ("a cube", 2, JobStatus.Completed), ("a cube", 3, JobStatus.Failed), ("a ball", 4, JobStatus.Completed), ("a ball", 5, JobStatus.Canceled), ("a cone", 6, JobStatus.Completed) })
            {
                db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, prompt, now.AddMinutes(-minutes), status, 1000));
            }

            // Running under another worker's long lease, so the service's own worker leaves it alone.
            var running = new GenerationJob(user.Id, "running", null, null, 1, GenerationQuality.Draft, null, now.AddHours(-5));
            running.Start("elsewhere", now, TimeSpan.FromHours(1));
            db.GenerationJobs.Add(running);
            db.GenerationJobs.Add(DatabaseSeed.FinishedJob(other.Id, "not mine", now, JobStatus.Completed, 1000));
            var busy = new Chat(user.Id, "Busy", now.AddHours(-3));
            var quiet = new Chat(user.Id, "Quiet", now.AddHours(-2));
            db.Chats.AddRange(busy, quiet);
            db.Messages.Add(busy.Post(MessageRole.User, "one", [], now.AddMinutes(-10)));
            db.Messages.Add(busy.Post(MessageRole.User, "two", [], now.AddMinutes(-9)));
            db.Messages.Add(quiet.Post(MessageRole.User, "three", [], now.AddMinutes(-8)));
        });
        var client = factory.CreateClient(user.AccessToken);

        var stats = await (await client.GetAsync("/api/analytics/stats")).ReadJsonAsync(HttpStatusCode.OK);
        var prompts = await (await client.GetAsync("/api/analytics/popular-prompts?limit=3")).ReadJsonAsync(HttpStatusCode.OK);
        var chats = await (await client.GetAsync("/api/analytics/chat-stats")).ReadJsonAsync(HttpStatusCode.OK);

        stats.GetProperty("jobs").GetRawText().ShouldBe("""{"total":7,"completed":4,"failed":1,"running":1,"queued":0,"canceled":1}""");
        stats.GetProperty("chats").GetRawText().ShouldBe("""{"total":2}""");
        stats.GetProperty("messages").GetRawText().ShouldBe("""{"total":3}""");
        stats.GetProperty("assets").GetRawText().ShouldBe("""{"total":0}""");
        stats.GetProperty("recent").GetProperty("jobs").GetArrayLength().ShouldBe(5);
        prompts.GetProperty("popular").EnumerateArray().Select(p => (p.GetProperty("prompt").GetString(), p.GetProperty("count").GetInt32()))
            .ShouldBe([("a cube", 3), ("a ball", 2), ("a cone", 1)]);
        prompts.GetProperty("recent").EnumerateArray().Select(p => p.GetProperty("prompt").GetString()).ShouldBe(["a cube", "a cube", "a cube"]);
        chats.GetProperty("totalChats").GetInt32().ShouldBe(2);
        chats.GetProperty("totalMessages").GetInt32().ShouldBe(3);
        chats.GetProperty("chats").EnumerateArray().Select(c => (c.GetProperty("title").GetString(), c.GetProperty("messageCount").GetInt32())).ShouldBe([("Busy", 2), ("Quiet", 1)]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stats_AreCachedUntilTheUsersJobsChange(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        (await (await client.GetAsync("/api/analytics/stats")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("jobs").GetProperty("total").GetInt32().ShouldBe(0);

        // Written behind the service's back: the cached answer stays.
        await factory.SeedAsync(db => db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, "hidden", DateTime.UtcNow, JobStatus.Completed, 1000)));
        (await (await client.GetAsync("/api/analytics/stats")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("jobs").GetProperty("total").GetInt32().ShouldBe(0);

        // A job made through the service changes the user's jobs: the next answer is fresh.
        (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int total;
        do
        {
            await Task.Delay(20, patience.Token);
            total = (await (await client.GetAsync("/api/analytics/stats", patience.Token)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("jobs").GetProperty("total").GetInt32();
        }
        while (total == 0);

        total.ShouldBe(2);
    }
}
