using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>Generation from the caller's images, and the mesh settings, on the built-in generator.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class ImageGenerationTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task CreateJob_FromAnImageAlone_RecordsTheInputs_AndCompletesWithGlbAndStl()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var image = await client.UploadAsync(TestImages.RedDisc());

        var created = await (await client.PostAsJsonAsync("/api/jobs", new { imageAssetIds = new[] { image }, formats = new[] { "glb", "stl" }, targetPolycount = 2000, topology = "quad" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        var job = created.GetProperty("job");
        job.GetProperty("prompt").GetString().ShouldBe(string.Empty);
        job.GetProperty("imageAssetIds").EnumerateArray().Select(i => i.GetGuid()).ShouldBe([image]);
        job.GetProperty("targetPolycount").GetInt32().ShouldBe(2000);
        job.GetProperty("topology").GetString().ShouldBe("quad");
        job.GetProperty("formats").Strings().ShouldBe(["glb", "stl"]);
        var done = await client.WaitForJobAsync(job.GetProperty("id").GetGuid());
        done.GetProperty("imageAssetIds").EnumerateArray().Select(i => i.GetGuid()).ShouldBe([image]);
        var assets = done.GetProperty("assets").EnumerateArray().ToDictionary(a => a.GetProperty("format").GetString()!);
        assets.Keys.Where(f => f is "glb" or "stl").Order().ShouldBe(["glb", "stl"]);
        var glb = await DownloadAsync(client, assets["glb"]);
        glb[..4].ShouldBe("glTF"u8.ToArray());
        var stl = await DownloadAsync(client, assets["stl"]);
        var triangles = BitConverter.ToUInt32(stl, 80);
        triangles.ShouldBeGreaterThan(0u);
        stl.Length.ShouldBe(84 + (50 * (int)triangles));
        (await client.GetAsync($"/api/assets/{assets["stl"].GetProperty("id").GetGuid()}/download")).Content.Headers.ContentType!.MediaType.ShouldBe("model/stl");
    }

    [Fact]
    public async Task Generate_FromAPromptAndTwoImages_InAChat_PostsThePromptWithTheImagesAttached()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Views" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var (front, side) = (await client.UploadAsync(TestImages.RedDisc(), "front.png"), await client.UploadAsync(TestImages.BlueSquare(), "side.png"));

        var job = (await (await client.PostAsJsonAsync("/api/generate", new { prompt = "a red lamp", chatId, imageAssetIds = new[] { side, front } })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job");
        await client.WaitForJobAsync(job.GetProperty("id").GetGuid());

        var messages = (await (await client.GetAsync($"/api/messages?chatId={chatId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        messages.Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString()))
            .ShouldBe([("user", "a red lamp"), ("assistant", "Your model is ready: a red lamp")]);
        // A message's attachments have no order of their own; the job keeps the order of the views.
        messages[0].GetProperty("attachments").EnumerateArray().Select(a => (a.GetProperty("type").GetString(), a.GetProperty("assetId").GetGuid()))
            .ShouldBe([("image", side), ("image", front)], ignoreOrder: true);
        (await client.WaitForJobAsync(job.GetProperty("id").GetGuid())).GetProperty("imageAssetIds").EnumerateArray().Select(i => i.GetGuid()).ShouldBe([side, front]);
    }

    [Fact]
    public async Task CreateJob_AsBefore_AnswersWithTheNewFieldsAtTheirDefaults()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var job = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job");
        var done = await client.WaitForJobAsync(job.GetProperty("id").GetGuid());

        foreach (var answer in new[] { job, done })
        {
            answer.GetProperty("imageAssetIds").GetArrayLength().ShouldBe(0);
            answer.GetProperty("targetPolycount").ValueKind.ShouldBe(JsonValueKind.Null);
            answer.GetProperty("topology").GetString().ShouldBe("triangle");
            answer.GetProperty("formats").Strings().ShouldBe(["glb"]);
        }

        var listed = (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        listed.GetProperty("topology").GetString().ShouldBe("triangle");
        listed.GetProperty("imageAssetIds").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Generate_WithAnotherUsersImage_OrAnUnknownId_Returns404AndQueuesNothing()
    {
        var owner = await factory.CreateUserAsync();
        var stranger = await factory.CreateUserAsync();
        var theirs = await factory.CreateClient(owner.AccessToken).UploadAsync(TestImages.RedDisc());
        var client = factory.CreateClient(stranger.AccessToken);
        var mine = await client.UploadAsync(TestImages.BlueSquare());

        await (await client.PostAsJsonAsync("/api/generate", new { imageAssetIds = new[] { mine, theirs } })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
        await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a lamp", imageAssetIds = new[] { Guid.NewGuid() } })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");

        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Generate_WithAModelAsAnImage_Returns400NamingIt()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var glb = (await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Glb(), "chair.glb"))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var png = await client.UploadAsync(TestImages.RedDisc());

        var problem = await (await client.PostAsJsonAsync("/api/generate", new { imageAssetIds = new[] { png, glb } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, $"Asset {glb} is a glb file; images are png, jpg or webp.");

        problem.GetProperty("errors").PropertyNames().ShouldBe(["imageAssetIds"]);
        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Theory]
    [InlineData("""{}""", "prompt", "'Prompt' must not be empty.")]
    [InlineData("""{"imageAssetIds":[]}""", "prompt", "'Prompt' must not be empty.")]
    [InlineData("""{"prompt":"ab","imageAssetIds":["0197a1b2-0000-7000-8000-000000000001"]}""", "prompt", "Prompt must be 3 to 1000 characters.")]
    [InlineData("""{"imageAssetIds":["0197a1b2-0000-7000-8000-000000000001","0197a1b2-0000-7000-8000-000000000002","0197a1b2-0000-7000-8000-000000000003","0197a1b2-0000-7000-8000-000000000004","0197a1b2-0000-7000-8000-000000000005"]}""", "imageAssetIds", "Give at most 4 images (views of one object).")]
    [InlineData("""{"imageAssetIds":["0197a1b2-0000-7000-8000-000000000001","0197a1b2-0000-7000-8000-000000000001"]}""", "imageAssetIds", "Each image is given once.")]
    [InlineData("""{"prompt":"a cube","targetPolycount":99}""", "targetPolycount", "Target polycount must be from 100 to 300000.")]
    [InlineData("""{"prompt":"a cube","targetPolycount":300001}""", "targetPolycount", "Target polycount must be from 100 to 300000.")]
    [InlineData("""{"prompt":"a cube","formats":["glb","obj","ply","stl","glb"]}""", "formats", "Formats are one to four of glb, obj, ply, stl.")]
    [InlineData("""{"prompt":"a cube","formats":["png"]}""", "formats", "Formats are one to four of glb, obj, ply, stl.")]
    public async Task Generate_WithBadImageOrMeshInput_Returns400(string body, string field, string error)
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var problem = await (await client.PostAsync("/api/generate", new StringContent(body, Encoding.UTF8, "application/json"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, error);

        problem.GetProperty("errors").PropertyNames().ShouldBe([field]);
        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Generate_WithAnUnknownTopology_Returns400()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/generate", new { prompt = "a cube", topology = "hexagon" });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The request body is not valid JSON for this operation.");
    }

    [Fact]
    public async Task LegacyMessage_StillMakesATextJobOfGlbObjAndPly()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chat = (await (await client.PostAsJsonAsync("/legacy/api/chats", new { title = "Boats" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var started = await (await client.PostAsJsonAsync($"/legacy/api/chats/{chat}/messages", new { role = "user", content = "A small red boat" })).ReadJsonAsync(HttpStatusCode.Created);

        var job = await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid());
        job.GetProperty("formats").Strings().ShouldBe(["glb", "obj", "ply"]);
        job.GetProperty("imageAssetIds").GetArrayLength().ShouldBe(0);
        job.GetProperty("topology").GetString().ShouldBe("triangle");
        await (await client.PostAsJsonAsync($"/legacy/api/chats/{chat}/messages", new { role = "user", content = "" }))
            .ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "'Prompt' must not be empty.", "prompt");
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, JsonElement asset)
    {
        var response = await client.GetAsync($"/api/assets/{asset.GetProperty("id").GetGuid()}/download");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Length.ShouldBe((int)asset.GetProperty("sizeBytes").GetInt64());
        return bytes;
    }
}
