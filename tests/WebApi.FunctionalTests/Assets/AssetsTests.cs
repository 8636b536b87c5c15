using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.Assets;

public sealed class AssetsTests : IDisposable
{
    private readonly CleanBackendFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private string AssetsDir => Path.Combine(_factory.Root, "assets");

    [Fact]
    public async Task Upload_APng_Returns201WithTheAssetAndASignedUrl()
    {
        var user = await _factory.CreateUserAsync();
        var bytes = SampleFiles.Png(1000);

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(bytes, "sketch.png", "image/png"));

        var asset = await response.ReadJsonAsync(HttpStatusCode.Created);
        asset.PropertyNames().ShouldBe(["createdAt", "fileName", "format", "id", "jobId", "sha256", "sizeBytes", "url"]);
        asset.GetProperty("format").GetString().ShouldBe("png");
        asset.GetProperty("fileName").GetString().ShouldBe("sketch.png");
        asset.GetProperty("sizeBytes").GetInt64().ShouldBe(1000);
        asset.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        asset.GetProperty("jobId").ValueKind.ShouldBe(JsonValueKind.Null);
        asset.GetProperty("url").GetString()!.ShouldMatch(@"^http://localhost:8081/assets/\d{4}/\d{2}/[0-9a-f]{32}\.png\?exp=\d+&sig=[A-Za-z0-9_-]+$");
        response.Headers.Location!.AbsolutePath.ShouldBe($"/api/assets/{asset.GetProperty("id").GetGuid()}");
        StoredFiles().Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("glb", "model.glb")]
    [InlineData("obj", "model.obj")]
    [InlineData("ply", "model.ply")]
    [InlineData("jpg", "photo.jpeg")]
    [InlineData("webp", "photo.webp")]
    [InlineData("glb", "no-extension")]
    public async Task Upload_EachAcceptedFormat_IsRecognisedFromItsContent(string format, string fileName)
    {
        var user = await _factory.CreateUserAsync();
        var bytes = format switch
        {
            "glb" => SampleFiles.Glb(),
            "obj" => SampleFiles.Obj(),
            "ply" => SampleFiles.Ply(),
            "jpg" => SampleFiles.Jpg(),
            _ => SampleFiles.Webp(),
        };

        var asset = await (await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(bytes, fileName))).ReadJsonAsync(HttpStatusCode.Created);

        asset.GetProperty("format").GetString().ShouldBe(format);
        asset.GetProperty("sizeBytes").GetInt64().ShouldBe(bytes.Length);
    }

    [Fact]
    public async Task Upload_APngRenamedGlb_Returns415AndStoresNothing()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "model.glb", "model/gltf-binary"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "The file name says glb but the content is png.");
        StoredFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_ContentOfNoAcceptedFormat_Returns415AndStoresNothing()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form("just some words"u8.ToArray(), "notes.png", "image/png"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "The content is not one of png, jpg, webp, glb, obj, ply.");
        StoredFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_AnImageOverTenMegabytes_Returns413AndStoresNothing()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png((10 * 1024 * 1024) + 1), "huge.png"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "The file is larger than 10485760 bytes.");
        StoredFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(50_000, 50_000)]
    [InlineData(8_000, 6_000)]
    [InlineData(20_000, 10)]
    public async Task Upload_AnImageDeclaringMorePixelsThanTheBudget_Returns400AndStoresNothing(int width, int height)
    {
        var user = await _factory.CreateUserAsync();
        var bomb = SampleFiles.PngDeclaring(width, height);

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(bomb, "bomb.png"));

        bomb.Length.ShouldBeLessThan(100);
        var problem = await response.ShouldBeProblemAsync(
            HttpStatusCode.BadRequest, $"The image declares {width}×{height} pixels; at most 40 megapixels and 16384 pixels a side are accepted.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["file"]);
        StoredFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_AnImageDeclaringJustUnderTheBudget_Returns201()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.PngDeclaring(16_384, 2_441), "wide.png"));

        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("format").GetString().ShouldBe("png");
        StoredFiles().Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("png", "broken.png")]
    [InlineData("jpg", "broken.jpg")]
    [InlineData("webp", "broken.webp")]
    public async Task Upload_AnImageThatCannotBeRead_Returns400AndStoresNothing(string format, string fileName)
    {
        var user = await _factory.CreateUserAsync();
        byte[] signature = format switch
        {
            "png" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            "jpg" => [0xFF, 0xD8, 0xFF, 0xE0],
            _ => [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8],
        };

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.WithPrefix(signature, 200), fileName));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The image cannot be read.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["file"]);
        StoredFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_AnEmptyFile_Returns400AndStoresNothing()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form([], "empty.png"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The file is empty.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["file"]);
        StoredFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../../evil.png")]
    [InlineData("..\\evil.png")]
    [InlineData("/etc/evil.png")]
    public async Task Upload_WithAPathInTheFileName_Returns400AndStoresNothing(string fileName)
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), fileName));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The file name must be a plain name, without a path.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["fileName"]);
        StoredFiles().ShouldBeEmpty();
        File.Exists(Path.Combine(_factory.Root, "evil.png")).ShouldBeFalse();
    }

    [Fact]
    public async Task Upload_WithoutAFile_Returns400()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", new MultipartFormDataContent { { new StringContent("x"), "other" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The file field is required.");
    }

    [Fact]
    public async Task Upload_AsJsonInsteadOfAForm_Returns415()
    {
        var user = await _factory.CreateUserAsync();

        var response = await _factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/assets", new { file = "x" });

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "Unsupported media type");
    }

    [Fact]
    public async Task List_FiltersByFormatAndPagesNewestFirst()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        foreach (var (bytes, name) in new[] { (SampleFiles.Png(), "a.png"), (SampleFiles.Glb(), "b.glb"), (SampleFiles.Png(80), "c.png") })
        {
            (await client.PostAsync("/api/assets", SampleFiles.Form(bytes, name))).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var pngs = await (await client.GetAsync("/api/assets?format=png")).ReadJsonAsync(HttpStatusCode.OK);
        var firstPage = await (await client.GetAsync("/api/assets?page=1&limit=2")).ReadJsonAsync(HttpStatusCode.OK);

        pngs.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).ShouldBe(["c.png", "a.png"]);
        pngs.GetProperty("total").GetInt32().ShouldBe(2);
        firstPage.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).ShouldBe(["c.png", "b.glb"]);
        firstPage.GetProperty("totalPages").GetInt32().ShouldBe(2);
        await (await client.GetAsync("/api/assets?format=exe")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Format must be one of glb, obj, mtl, ply, png, jpg, webp.");
    }

    [Fact]
    public async Task Download_StreamsTheBytesWithTypeETagAndName()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var bytes = SampleFiles.Glb(5000);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(bytes, "chair.glb"))).ReadJsonAsync(HttpStatusCode.Created);

        var response = await client.GetAsync($"/api/assets/{asset.GetProperty("id").GetGuid()}/download");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("model/gltf-binary");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe("chair.glb");
        response.Headers.ETag!.Tag.ShouldBe($"\"{asset.GetProperty("sha256").GetString()}\"");
        response.Headers.AcceptRanges.ShouldContain("bytes");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Fact]
    public async Task Download_WithTheCurrentETag_Returns304()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{asset.GetProperty("id").GetGuid()}/download");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{asset.GetProperty("sha256").GetString()}\""));

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Download_WithARange_Returns206WithThoseBytes()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var bytes = SampleFiles.Png(1000);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(bytes, "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{asset.GetProperty("id").GetGuid()}/download");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        response.Content.Headers.ContentRange!.ToString().ShouldBe("bytes 100-199/1000");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes[100..200]);
    }

    [Theory]
    [InlineData("items=0-9")]
    [InlineData("lines=100-199")]
    public async Task Download_WithARangeInAnotherUnit_IgnoresItAndReturnsTheWholeFile(string range)
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var bytes = SampleFiles.Png(1000);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(bytes, "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{asset.GetProperty("id").GetGuid()}/download");
        request.Headers.TryAddWithoutValidation("Range", range).ShouldBeTrue();

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentRange.ShouldBeNull();
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Fact]
    public async Task SignedUrl_WithARangeInAnotherUnit_ReturnsTheWholeFile()
    {
        var user = await _factory.CreateUserAsync();
        var bytes = SampleFiles.Ply();
        var asset = await (await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(bytes, "cloud.ply"))).ReadJsonAsync(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(HttpMethod.Get, PathOf(asset));
        request.Headers.TryAddWithoutValidation("Range", "items=0-9").ShouldBeTrue();

        var response = await _factory.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Fact]
    public async Task SignedUrl_WorksWithoutAuthorization()
    {
        var user = await _factory.CreateUserAsync();
        var bytes = SampleFiles.Ply();
        var asset = await (await _factory.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(bytes, "cloud.ply"))).ReadJsonAsync(HttpStatusCode.Created);

        var response = await _factory.CreateClient().GetAsync(PathOf(asset));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/ply");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Fact]
    public async Task SignedUrl_WhenTamperedWith_Returns403()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var first = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        var second = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(90), "b.png"))).ReadJsonAsync(HttpStatusCode.Created);
        var url = PathOf(first);
        var otherKey = new Uri(second.GetProperty("url").GetString()!).AbsolutePath;
        var laterExpiry = System.Text.RegularExpressions.Regex.Replace(url, @"exp=(\d+)", m => $"exp={long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 3600}");

        foreach (var tampered in new[] { url[..^2] + "xx", laterExpiry, otherKey + url[url.IndexOf('?', StringComparison.Ordinal)..], url.Split('&')[0] })
        {
            await (await _factory.CreateClient().GetAsync(tampered)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Invalid link signature");
        }
    }

    [Fact]
    public async Task SignedUrl_AfterItExpires_Returns403()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var service = CleanBackendFactory.WithClock(clock);
        var user = await service.CreateUserAsync();
        var asset = await (await service.CreateClient(user.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);

        clock.Advance(TimeSpan.FromMinutes(61));
        var response = await service.CreateClient().GetAsync(PathOf(asset));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "This link has expired");
    }

    [Fact]
    public async Task Delete_RemovesTheRowTheFileAndMessageAttachments()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user.AccessToken);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        var id = asset.GetProperty("id").GetGuid();
        var chat = await (await client.PostAsJsonAsync("/api/chats", new { title = "With a picture" })).ReadJsonAsync(HttpStatusCode.Created);
        var chatId = chat.GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync("/api/messages", new { chatId, content = "look", attachments = new[] { new { type = "image", assetId = id } } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        StoredFiles().Count.ShouldBe(1);

        var response = await client.DeleteAsync($"/api/assets/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        StoredFiles().ShouldBeEmpty();
        await (await client.GetAsync($"/api/assets/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
        await (await _factory.CreateClient().GetAsync(PathOf(asset))).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
        var messages = await (await client.GetAsync($"/api/messages?chatId={chatId}")).ReadJsonAsync(HttpStatusCode.OK);
        var message = messages.GetProperty("items").EnumerateArray().Single();
        message.GetProperty("content").GetString().ShouldBe("look");
        message.GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }

    private static string PathOf(JsonElement asset) => new Uri(asset.GetProperty("url").GetString()!).PathAndQuery;

    private List<string> StoredFiles() =>
        Directory.Exists(AssetsDir)
            ? [.. Directory.EnumerateFiles(AssetsDir, "*", SearchOption.AllDirectories)]
            : [];
}
