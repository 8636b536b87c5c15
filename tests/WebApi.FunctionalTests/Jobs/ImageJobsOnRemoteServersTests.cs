using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>Image jobs when a remote model server is configured: what a v1 server receives, and the text-only shap-e server's refusal.</summary>
public sealed class ImageJobsOnRemoteServersTests
{
    [Fact]
    public async Task CreateJob_WithImages_OnAShapEService_Returns400AtOnce_AndTheServerHearsNothing()
    {
        await using var modelServer = await RejectingModelServer.StartAsync();
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["ModelServer:Url"] = modelServer.Url, ["ModelServer:Protocol"] = "shap-e" });
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var image = await client.UploadAsync(TestImages.RedDisc());

        var problem = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red lamp", imageAssetIds = new[] { image } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The shap-e model server of this service makes models from text only; send a prompt without images.");

        problem.GetProperty("errors").PropertyNames().ShouldBe(["imageAssetIds"]);
        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
        modelServer.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task ATestKeysImageJob_OnAShapEService_RunsOnTheBuiltInGenerator()
    {
        await using var modelServer = await RejectingModelServer.StartAsync();
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["ModelServer:Url"] = modelServer.Url, ["ModelServer:Protocol"] = "shap-e" });
        var session = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var image = await session.UploadAsync(TestImages.RedDisc());
        var keyClient = factory.CreateKeyClient((await session.CreateApiKeyAsync(["jobs:read", "jobs:write"], mode: "test")).Secret());

        var created = await (await keyClient.PostAsJsonAsync("/api/jobs", new { imageAssetIds = new[] { image }, formats = new[] { "stl" } })).ReadJsonAsync(HttpStatusCode.Accepted);

        var job = await keyClient.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());
        job.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("format").GetString()).ShouldContain("stl");
        modelServer.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task AV1Server_ByDefault_ReceivesTheImagesInline_WithTheTargetAndTopology_AndItsStlIsStored()
    {
        await using var modelServer = await FakeV1ModelServer.StartAsync();
        using var factory = V1Service(modelServer);
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var (disc, square) = (TestImages.RedDisc(), TestImages.BlueSquare());
        var images = new[] { await client.UploadAsync(square), await client.UploadAsync(disc) };

        var job = await GenerateAsync(client, images);

        var body = modelServer.Submitted.Single();
        body.PropertyNames().ShouldBe(["formats", "id", "images", "negativePrompt", "prompt", "quality", "seed", "targetPolycount", "topology"]);
        body.GetProperty("id").GetGuid().ShouldBe(job.GetProperty("id").GetGuid());
        body.GetProperty("prompt").GetString().ShouldBe(string.Empty);
        body.GetProperty("formats").Strings().ShouldBe(["glb", "stl"]);
        body.GetProperty("targetPolycount").GetInt32().ShouldBe(5000);
        body.GetProperty("topology").GetString().ShouldBe("quad");
        var sent = body.GetProperty("images").EnumerateArray().ToList();
        sent.Select(i => i.PropertyNames()).ShouldAllBe(names => names.Length == 2 && names[0] == "data" && names[1] == "mediaType");
        sent.Select(i => Convert.FromBase64String(i.GetProperty("data").GetString()!)).ShouldBe([square, disc]);
        sent.Select(i => i.GetProperty("mediaType").GetString()).ShouldBe(["image/png", "image/png"]);
        await ShouldHaveStoredTheServersFilesAsync(client, job);
    }

    [Fact]
    public async Task AV1Server_WithImageInputsUrl_ReceivesSignedUrlsThatServeTheUploads()
    {
        await using var modelServer = await FakeV1ModelServer.StartAsync();
        using var factory = V1Service(modelServer, imageInputs: "url");
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var (disc, square) = (TestImages.RedDisc(), TestImages.BlueSquare());
        var images = new[] { await client.UploadAsync(disc), await client.UploadAsync(square) };

        var job = await GenerateAsync(client, images);

        var sent = modelServer.Submitted.Single().GetProperty("images").EnumerateArray().ToList();
        sent.Select(i => i.PropertyNames()).ShouldAllBe(names => names.Length == 2 && names[0] == "mediaType" && names[1] == "url");
        var urls = sent.Select(i => new Uri(i.GetProperty("url").GetString()!)).ToList();
        urls.ShouldAllBe(u => u.GetLeftPart(UriPartial.Authority) == "http://localhost:8081" && u.AbsolutePath.StartsWith("/assets/") && u.Query.Contains("sig="));

        // No Authorization header: the link itself is the permission.
        var anonymous = factory.CreateClient();
        var fetched = new List<byte[]>();
        foreach (var url in urls)
        {
            var response = await anonymous.GetAsync(url.PathAndQuery);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            fetched.Add(await response.Content.ReadAsByteArrayAsync());
        }

        fetched.ShouldBe([disc, square]);
        await ShouldHaveStoredTheServersFilesAsync(client, job);
    }

    private static CleanBackendFactory V1Service(FakeV1ModelServer modelServer, string? imageInputs = null)
    {
        var settings = modelServer.Settings;
        if (imageInputs is not null)
        {
            settings["ModelServer:ImageInputs"] = imageInputs;
        }

        return CleanBackendFactory.With(settings);
    }

    private static async Task<JsonElement> GenerateAsync(HttpClient client, Guid[] images)
    {
        var created = await (await client.PostAsJsonAsync("/api/jobs", new { imageAssetIds = images, formats = new[] { "glb", "stl" }, targetPolycount = 5000, topology = "quad" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        return await client.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());
    }

    private static async Task ShouldHaveStoredTheServersFilesAsync(HttpClient client, JsonElement job)
    {
        var assets = job.GetProperty("assets").EnumerateArray().ToDictionary(a => a.GetProperty("format").GetString()!, a => a.GetProperty("id").GetGuid());
        assets.Keys.Where(f => f is "glb" or "stl").Order().ShouldBe(["glb", "stl"]);
        (await (await client.GetAsync($"/api/assets/{assets["stl"]}/download")).Content.ReadAsByteArrayAsync()).ShouldBe(FakeV1ModelServer.Stl);
        (await (await client.GetAsync($"/api/assets/{assets["glb"]}/download")).Content.ReadAsByteArrayAsync()).ShouldBe(FakeV1ModelServer.Glb);
    }
}
