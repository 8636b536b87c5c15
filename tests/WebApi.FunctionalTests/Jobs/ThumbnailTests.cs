using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.Infrastructure.IntegrationTests.Models;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>Every completed job has a PNG preview, its <c>thumbnailUrl</c>, whichever model server made its model.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class ThumbnailTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task RemoteJob_DeliveringOnlyAGlb_EndsWithAPngAsset_WhoseThumbnailUrlDownloadsThePreview()
    {
        await using var modelServer = await FakeV1ModelServer.StartAsync(FakeV1ModelServer.RedCubeGlb());
        using var service = CleanBackendFactory.With(modelServer.Settings);
        var user = await service.CreateUserAsync();
        var client = service.CreateClient(user.AccessToken);

        var created = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube", formats = new[] { "glb" } })).ReadJsonAsync(HttpStatusCode.Accepted);
        var job = await client.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());

        created.GetProperty("job").GetProperty("thumbnailUrl").ValueKind.ShouldBe(JsonValueKind.Null);
        modelServer.Downloads.ShouldBe([job.GetProperty("id").GetString()!]);
        var assets = job.GetProperty("assets").EnumerateArray().ToList();
        assets.Select(a => (a.GetProperty("format").GetString(), a.GetProperty("fileName").GetString())).ShouldBe([("glb", "mesh.glb"), ("png", "preview.png")]);
        var thumbnailUrl = job.GetProperty("thumbnailUrl").GetString()!;
        thumbnailUrl.ShouldBe(assets[1].GetProperty("url").GetString());

        var download = await service.CreateClient().GetAsync(new Uri(thumbnailUrl).PathAndQuery);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType?.MediaType.ShouldBe("image/png");
        var (width, height, pixels) = TestPng.Decode(await download.Content.ReadAsByteArrayAsync());
        (width, height).ShouldBe((256, 256));
        var opaque = Enumerable.Range(0, width * height).Where(i => pixels[(i * 4) + 3] == 255).ToList();
        opaque.Count.ShouldBeGreaterThan(width * height / 10, "the cube fills a good part of the picture");
        opaque.ShouldAllBe(i => pixels[i * 4] > 2 * pixels[(i * 4) + 1] && pixels[i * 4] > 2 * pixels[(i * 4) + 2], "the cube is red");
        pixels[3].ShouldBe((byte)0, "the corners stay transparent");

        var listed = (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        listed.GetProperty("thumbnailUrl").GetString().ShouldBe(thumbnailUrl);
    }

    [Fact]
    public async Task RemoteJob_WhoseGlbCannotBeRead_StillCompletes_WithoutAThumbnail()
    {
        // A glb header, then noise: it passes the content check, not the reader.
        await using var modelServer = await FakeV1ModelServer.StartAsync(SampleFiles.Glb(600));
        using var service = CleanBackendFactory.With(modelServer.Settings);
        var user = await service.CreateUserAsync();
        var client = service.CreateClient(user.AccessToken);

        var created = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" })).ReadJsonAsync(HttpStatusCode.Accepted);
        var job = await client.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());

        job.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        job.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("format").GetString()).ShouldBe(["glb"]);
        job.GetProperty("thumbnailUrl").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task BuiltInJob_HasThePreviewItsGeneratorMade_AsItsThumbnail()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var created = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a blue torus", formats = new[] { "glb", "ply" } })).ReadJsonAsync(HttpStatusCode.Accepted);
        var job = await client.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());

        var previews = job.GetProperty("assets").EnumerateArray().Where(a => a.GetProperty("format").GetString() == "png").ToList();
        previews.ShouldHaveSingleItem().GetProperty("fileName").GetString().ShouldBe("preview.png");
        job.GetProperty("thumbnailUrl").GetString().ShouldBe(previews[0].GetProperty("url").GetString());
        var (width, height, _) = TestPng.Decode(await (await factory.CreateClient().GetAsync(new Uri(job.GetProperty("thumbnailUrl").GetString()!).PathAndQuery)).Content.ReadAsByteArrayAsync());
        (width, height).ShouldBe((256, 256));
    }

    [Fact]
    public async Task JobWhosePreviewWasDeleted_HasNoThumbnail()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var created = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a green cone" })).ReadJsonAsync(HttpStatusCode.Accepted);
        var job = await client.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());
        var preview = job.GetProperty("assets").EnumerateArray().Single(a => a.GetProperty("format").GetString() == "png").GetProperty("id").GetGuid();

        (await client.DeleteAsync($"/api/assets/{preview}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var after = await (await client.GetAsync($"/api/jobs/{job.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);
        after.GetProperty("thumbnailUrl").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
