using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>Image jobs on every database this run has: the owner's images found by id, the inputs stored and read back.</summary>
public sealed class ImageJobsPerDatabaseTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Generate_FromTwoImagesAlone_InAChat_RecordsAndAnswersAlike(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var chatId = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Photos" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var (front, side) = (await client.UploadAsync(TestImages.RedDisc(), "front.png"), await client.UploadAsync(TestImages.BlueSquare(), "side.png"));

        var created = (await (await client.PostAsJsonAsync("/api/generate", new
        {
            chatId,
            imageAssetIds = new[] { side, front },
            formats = new[] { "glb", "stl" },
            targetPolycount = 1000,
            topology = "quad",
        })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job");
        var id = created.GetProperty("id").GetGuid();
        await client.WaitForJobAsync(id);

        var listed = (await (await client.GetAsync($"/api/jobs?chatId={chatId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        foreach (var job in new[] { created, listed, await (await client.GetAsync($"/api/jobs/{id}")).ReadJsonAsync(HttpStatusCode.OK) })
        {
            job.GetProperty("prompt").GetString().ShouldBe(string.Empty);
            job.GetProperty("imageAssetIds").EnumerateArray().Select(i => i.GetGuid()).ShouldBe([side, front]);
            job.GetProperty("targetPolycount").GetInt32().ShouldBe(1000);
            job.GetProperty("topology").GetString().ShouldBe("quad");
            job.GetProperty("formats").Strings().ShouldBe(["glb", "stl"]);
        }

        listed.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("format").GetString()).Where(f => f is "glb" or "stl").Order().ShouldBe(["glb", "stl"]);
        var messages = (await (await client.GetAsync($"/api/messages?chatId={chatId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        messages.Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString()))
            .ShouldBe([("user", "(2 images)"), ("assistant", "Your model is ready: (2 images)")]);
        messages[0].GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("assetId").GetGuid()).ShouldBe([side, front], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Generate_WithAnImageOfAnotherUser_Returns404(string provider)
    {
        var factory = services[provider];
        var theirs = await factory.CreateClient((await factory.CreateUserAsync()).AccessToken).UploadAsync(TestImages.RedDisc());
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var mine = await client.UploadAsync(TestImages.BlueSquare());

        await (await client.PostAsJsonAsync("/api/generate", new { prompt = "a vase", imageAssetIds = new[] { mine, theirs } })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
    }
}
