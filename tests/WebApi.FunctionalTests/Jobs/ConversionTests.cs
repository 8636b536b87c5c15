using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CleanBackend.Domain.Jobs;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>POST /api/jobs/{id}/convert: other formats of a completed job's model, made from its glb, once.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class ConversionTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task ToStl_Returns201WithTheNewAssetOfTheJob_WhoseTrianglesAreTheGlbs()
    {
        var (client, job) = await CompletedJobAsync("a red cube and a blue sphere");

        var response = await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "stl" });

        var converted = await response.ReadJsonAsync(HttpStatusCode.Created);
        converted.PropertyNames().ShouldBe(["assets", "ok"]);
        converted.GetProperty("ok").GetBoolean().ShouldBeTrue();
        var asset = converted.GetProperty("assets").EnumerateArray().ShouldHaveSingleItem();
        asset.PropertyNames().ShouldBe(["createdAt", "fileName", "format", "id", "jobId", "sha256", "sizeBytes", "url"]);
        (asset.GetProperty("format").GetString(), asset.GetProperty("fileName").GetString(), asset.GetProperty("jobId").GetGuid()).ShouldBe(("stl", "model.stl", job));
        response.Headers.Location!.AbsolutePath.ShouldBe($"/api/assets/{asset.GetProperty("id").GetGuid()}");

        var stl = await DownloadAsync(asset);
        var triangles = GlbTriangles(await DownloadAsync(await AssetAsync(client, job, "glb")));
        BinaryPrimitives.ReadUInt32LittleEndian(stl.AsSpan(80)).ShouldBe((uint)triangles);
        stl.Length.ShouldBe(84 + (50 * triangles));
        asset.GetProperty("sizeBytes").GetInt64().ShouldBe(stl.Length);
        var listed = await (await client.GetAsync($"/api/jobs/{job}")).ReadJsonAsync(HttpStatusCode.OK);
        listed.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("format").GetString()).ShouldBe(["glb", "png", "stl"]);
    }

    [Fact]
    public async Task ToObj_Returns201WithTheObjAndThenTheMtlItNames()
    {
        var (client, job) = await CompletedJobAsync("a red cube and a blue sphere");
        var triangles = GlbTriangles(await DownloadAsync(await AssetAsync(client, job, "glb")));

        var converted = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "obj" })).ReadJsonAsync(HttpStatusCode.Created);

        var assets = converted.GetProperty("assets").EnumerateArray().ToList();
        assets.Select(a => (a.GetProperty("format").GetString(), a.GetProperty("fileName").GetString())).ShouldBe([("obj", "model.obj"), ("mtl", "model.mtl")]);
        var obj = Encoding.ASCII.GetString(await DownloadAsync(assets[0])).Split('\n');
        var mtl = Encoding.ASCII.GetString(await DownloadAsync(assets[1])).Split('\n');
        obj.ShouldContain("mtllib model.mtl");
        obj.Count(l => l.StartsWith("f ", StringComparison.Ordinal)).ShouldBe(triangles);
        obj.Where(l => l.StartsWith("usemtl ", StringComparison.Ordinal)).Select(l => l[7..])
            .ShouldBe(mtl.Where(l => l.StartsWith("newmtl ", StringComparison.Ordinal)).Select(l => l[7..]));
    }

    [Fact]
    public async Task ToPly_Returns201WithABinaryPlyOfTheGlbsTriangles()
    {
        var (client, job) = await CompletedJobAsync("two gold donuts");
        var triangles = GlbTriangles(await DownloadAsync(await AssetAsync(client, job, "glb")));

        var converted = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "ply" })).ReadJsonAsync(HttpStatusCode.Created);

        var ply = await DownloadAsync(converted.GetProperty("assets").EnumerateArray().Single());
        var header = Encoding.ASCII.GetString(ply, 0, ply.AsSpan().IndexOf("end_header\n"u8)).Split('\n');
        header[..2].ShouldBe(["ply", "format binary_little_endian 1.0"]);
        header.ShouldContain($"element face {triangles}");
    }

    [Fact]
    public async Task Again_Returns200WithTheSameAssets_AndStoresNothingMore()
    {
        var (client, job) = await CompletedJobAsync("a yellow pyramid");
        var first = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "obj" })).ReadJsonAsync(HttpStatusCode.Created);

        var again = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "obj" })).ReadJsonAsync(HttpStatusCode.OK);

        Ids(again).ShouldBe(Ids(first));
        again.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("sha256").GetString())
            .ShouldBe(first.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("sha256").GetString()));
        (await (await client.GetAsync($"/api/assets?jobId={job}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task ToTheFormatTheJobWasMadeIn_Returns200WithThatAsset()
    {
        var (client, job) = await CompletedJobAsync("a purple cylinder");
        var glb = await AssetAsync(client, job, "glb");

        var converted = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "glb" })).ReadJsonAsync(HttpStatusCode.OK);

        converted.GetProperty("assets").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(glb.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task ToObj_AfterItsObjWasDeleted_MakesANewPair_InPlaceOfTheLeftoverMtl()
    {
        var (client, job) = await CompletedJobAsync("a pink donut");
        var first = (await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "obj" })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("assets").EnumerateArray().ToList();
        (await client.DeleteAsync($"/api/assets/{first[0].GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var again = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "obj" })).ReadJsonAsync(HttpStatusCode.Created);

        again.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("format").GetString()).ShouldBe(["obj", "mtl"]);
        (await client.GetAsync($"/api/assets/{first[1].GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync(new Uri(first[1].GetProperty("url").GetString()!).PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var formats = (await (await client.GetAsync($"/api/jobs/{job}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("format").GetString());
        formats.Order().ShouldBe(["glb", "mtl", "obj", "png"]);
    }

    [Fact]
    public async Task AnotherUsersJob_Returns404_AndAnUnknownOneToo()
    {
        var (_, job) = await CompletedJobAsync("a red cube");
        var stranger = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        await (await stranger.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "stl" })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job not found");
        await (await stranger.PostAsJsonAsync($"/api/jobs/{Guid.NewGuid()}/convert", new { format = "stl" })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job not found");
    }

    [Fact]
    public async Task AJobThatDidNotComplete_Returns409()
    {
        var user = await factory.CreateUserAsync();
        var failed = DatabaseSeed.FinishedJob(user.Id, "a red cube", DateTime.UtcNow.AddMinutes(-5), JobStatus.Failed, 1200);
        await factory.SeedAsync(db => db.GenerationJobs.Add(failed));

        var response = await factory.CreateClient(user.AccessToken).PostAsJsonAsync($"/api/jobs/{failed.Id}/convert", new { format = "stl" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Only a completed job's model can be converted; this one is failed.");
    }

    [Fact]
    public async Task AJobWithoutAGlb_Returns409()
    {
        var (client, job) = await CompletedJobAsync("a red cube", "ply");

        var response = await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "stl" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "The job has no glb model to convert from.");
    }

    [Theory]
    [InlineData("""{"format":"png"}""", "Format must be one of glb, obj, ply, stl.")]
    [InlineData("""{"format":"mtl"}""", "Format must be one of glb, obj, ply, stl.")]
    [InlineData("""{}""", "Format is required: one of glb, obj, ply, stl.")]
    [InlineData("""{"format":"fbx"}""", "The request body is not valid JSON for this operation.")]
    public async Task WithAFormatThatIsNotAModelFormat_Returns400(string body, string error)
    {
        var (client, job) = await CompletedJobAsync("a red cube");

        var response = await client.PostAsync($"/api/jobs/{job}/convert", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task RemoteJobsGlb_ConvertsToAnStlOfItsTriangles()
    {
        await using var modelServer = await FakeV1ModelServer.StartAsync(FakeV1ModelServer.RedCubeGlb());
        using var service = CleanBackendFactory.With(modelServer.Settings);
        var client = service.CreateClient((await service.CreateUserAsync()).AccessToken);
        var job = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(job);

        var converted = await (await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "stl" })).ReadJsonAsync(HttpStatusCode.Created);

        var asset = converted.GetProperty("assets").EnumerateArray().Single();
        asset.GetProperty("fileName").GetString().ShouldBe("mesh.stl");
        var stl = await (await service.CreateClient().GetAsync(new Uri(asset.GetProperty("url").GetString()!).PathAndQuery)).Content.ReadAsByteArrayAsync();
        BinaryPrimitives.ReadUInt32LittleEndian(stl.AsSpan(80)).ShouldBe(12u);
    }

    [Fact]
    public async Task AJobWhoseGlbCannotBeRead_Returns409SayingWhy()
    {
        await using var modelServer = await FakeV1ModelServer.StartAsync(SampleFiles.Glb(600));
        using var service = CleanBackendFactory.With(modelServer.Settings);
        var client = service.CreateClient((await service.CreateUserAsync()).AccessToken);
        var job = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(job);

        var response = await client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format = "stl" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "The job's glb cannot be converted. The glb cannot be read: its first chunk is not JSON.");
        (await (await client.GetAsync($"/api/assets?jobId={job}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(1);
    }

    private async Task<(HttpClient Client, Guid Job)> CompletedJobAsync(string prompt, string format = "glb")
    {
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var job = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt, formats = new[] { format }, quality = "draft" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(job);
        return (client, job);
    }

    private static async Task<JsonElement> AssetAsync(HttpClient client, Guid job, string format) =>
        (await (await client.GetAsync($"/api/jobs/{job}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("assets").EnumerateArray()
            .Single(a => a.GetProperty("format").GetString() == format);

    private async Task<byte[]> DownloadAsync(JsonElement asset)
    {
        var response = await factory.CreateClient().GetAsync(new Uri(asset.GetProperty("url").GetString()!).PathAndQuery);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static Guid[] Ids(JsonElement converted) => [.. converted.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("id").GetGuid())];

    /// <summary>Triangles of a glb whose nodes each place a mesh once: the index counts of its primitives, by three.</summary>
    public static int GlbTriangles(byte[] glb)
    {
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(glb.AsSpan(12));
        using var json = JsonDocument.Parse(glb.AsMemory(20, jsonLength));
        var root = json.RootElement;
        var accessors = root.GetProperty("accessors");
        return root.GetProperty("nodes").EnumerateArray().Where(n => n.TryGetProperty("mesh", out _))
            .SelectMany(n => root.GetProperty("meshes")[n.GetProperty("mesh").GetInt32()].GetProperty("primitives").EnumerateArray())
            .Sum(p => accessors[p.GetProperty("indices").GetInt32()].GetProperty("count").GetInt32() / 3);
    }
}
