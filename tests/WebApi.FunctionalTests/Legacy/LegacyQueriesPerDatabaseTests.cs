using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Legacy;

/// <summary>The /legacy queries whose SQL differs by provider (ordering by a flag, substrings, counts over roles) on every database this run has.</summary>
public sealed class LegacyQueriesPerDatabaseTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChatList_ChatWithItsModel_AndAdminViews_AnswerAlike(string provider)
    {
        var factory = services[provider];
        var admin = factory.CreateClient((await factory.CreateUserAsync("user", "admin")).AccessToken);
        var before = await (await admin.GetAsync("/legacy/api/admin/stats")).ReadJsonAsync(HttpStatusCode.OK);
        var owner = await factory.CreateUserAsync();
        var client = factory.CreateClient(owner.AccessToken);
        var first = await LegacyChatsTests.CreateChatAsync(client, "First");
        var second = await LegacyChatsTests.CreateChatAsync(client, "Second");
        (await client.PatchAsJsonAsync($"/legacy/api/chats/{first}", new { isPinned = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsJsonAsync($"/legacy/api/chats/{second}/messages", new { role = "user", content = "Three red cubes stacked into a tower on a wide base" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var chat = await LegacyChatsTests.WaitForAssistantAsync(client, second);
        var list = await (await client.GetAsync("/legacy/api/chats")).ReadJsonAsync(HttpStatusCode.OK);
        var stats = await (await admin.GetAsync("/legacy/api/admin/stats")).ReadJsonAsync(HttpStatusCode.OK);
        var details = await (await admin.GetAsync($"/legacy/api/admin/users/{owner.Id}")).ReadJsonAsync(HttpStatusCode.OK);

        list.EnumerateArray().Select(c => (c.GetProperty("title").GetString(), c.GetProperty("isPinned").GetBoolean(), c.GetProperty("messageCount").GetInt32()))
            .ShouldBe([("First", true, 0), ("Second", false, 2)]);
        list[1].GetProperty("preview").GetString().ShouldBe("Your model is ready: Three red cubes stacked into ");
        var model = chat.GetProperty("messages")[1].GetProperty("modelData");
        foreach (var url in new[] { "glbUrl", "objUrl", "plyUrl", "mtlUrl" })
        {
            (await factory.CreateClient().GetAsync(LegacyChatsTests.PathOf(model, url))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        int Delta(string field) => stats.GetProperty(field).GetInt32() - before.GetProperty(field).GetInt32();
        (Delta("totalUsers"), Delta("activeUsers"), Delta("adminUsers"), Delta("totalChats"), Delta("recentRegistrations")).ShouldBe((1, 1, 0, 2, 1));
        stats.GetProperty("adminUsers").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        details.GetProperty("chats").EnumerateArray()
            .Select(c => (c.GetProperty("title").GetString(), c.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToArray()))
            .Select(c => $"{c.Item1}: {string.Join(",", c.Item2)}")
            .ShouldBe(["Second: user,assistant", "First: "]);
    }
}
