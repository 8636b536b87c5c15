using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Admin;

/// <summary>The system statistics' grouped counts on every database this run has.</summary>
public sealed class AdminStatsTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stats_CountUsersJobsAndContent(string provider)
    {
        var factory = services[provider];
        var admin = await factory.CreateUserAsync("user", "admin");
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var before = await (await factory.CreateClient(admin.AccessToken).GetAsync("/api/admin/stats")).ReadJsonAsync(HttpStatusCode.OK);
        var chatId = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Counted" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var jobId = (await (await client.PostAsJsonAsync("/api/generate", new { prompt = "a cube", chatId })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(jobId);
        await factory.CreateClient(admin.AccessToken).PostAsync($"/api/admin/users/{user.Id}/deactivate", null);

        var after = await (await factory.CreateClient(admin.AccessToken).GetAsync("/api/admin/stats")).ReadJsonAsync(HttpStatusCode.OK);

        int Count(System.Text.Json.JsonElement stats, string a, string b) => stats.GetProperty(a).GetProperty(b).GetInt32();
        (Count(after, "users", "inactive") - Count(before, "users", "inactive")).ShouldBe(1);
        (Count(after, "users", "active") - Count(before, "users", "active")).ShouldBe(-1);
        (Count(after, "jobs", "total") - Count(before, "jobs", "total")).ShouldBe(1);
        (after.GetProperty("jobs").GetProperty("byStatus").GetProperty("completed").GetInt32() - before.GetProperty("jobs").GetProperty("byStatus").GetProperty("completed").GetInt32()).ShouldBe(1);
        (Count(after, "chats", "total") - Count(before, "chats", "total")).ShouldBe(1);
        (Count(after, "messages", "total") - Count(before, "messages", "total")).ShouldBe(2);
        (Count(after, "assets", "total") - Count(before, "assets", "total")).ShouldBe(2);
        after.GetProperty("recent").GetProperty("jobs")[0].GetProperty("id").GetGuid().ShouldBe(jobId);
    }
}
