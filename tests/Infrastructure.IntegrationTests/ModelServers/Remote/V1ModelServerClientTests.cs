using System.Text.Json;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers;
using Microsoft.Extensions.Logging;
using static CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote.FakeAnswer;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote;

public sealed class V1ModelServerClientTests() : RemoteModelServerTests(ModelServerProtocols.V1)
{
    private const string Create = "/v1/generations";

    [Fact]
    public async Task Generate_SubmitsTheJobPollsAndDeliversCheckedFiles()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request(AssetFormat.Glb, AssetFormat.Obj) with { Quality = GenerationQuality.Draft };
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb), ("mesh.obj", "obj", ModelFiles.Obj), ("mesh.mtl", "mtl", ModelFiles.Mtl), ("mesh.ply", "ply", ModelFiles.Ply));

        using (var output = await Harness.GenerateAsync(request))
        {
            output.Files.Select(f => (f.FileName, f.Format)).ShouldBe([("mesh.glb", AssetFormat.Glb), ("mesh.obj", AssetFormat.Obj), ("mesh.mtl", AssetFormat.Mtl)]);
            foreach (var file in output.Files)
            {
                await using var content = file.Open();
                using var copy = new MemoryStream();
                await content.CopyToAsync(copy);
                copy.ToArray().ShouldBe(ModelFiles.For(file.Format));
            }
        }

        var body = Server.Requests.Single(r => r.Method == "POST" && r.Path == Create).Json;
        body.GetProperty("id").GetString().ShouldBe(request.JobId.ToString("D"));
        body.GetProperty("prompt").GetString().ShouldBe(request.Prompt);
        body.GetProperty("negativePrompt").GetString().ShouldBe("blurry");
        body.GetProperty("formats").EnumerateArray().Select(f => f.GetString()).ShouldBe(["glb", "obj"]);
        body.GetProperty("seed").GetInt64().ShouldBe(42);
        body.GetProperty("quality").GetString().ShouldBe("draft");
        Server.Count("GET", $"/v1/generations/{request.JobId}/files/mesh.ply").ShouldBe(0);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_ATextJob_SendsNoImagesANullTargetAndTriangles()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));

        using (await Harness.GenerateAsync(request))
        {
        }

        var body = Server.Requests.Single(r => r.Method == "POST" && r.Path == Create).Json;
        Names(body).ShouldBe(["formats", "id", "images", "negativePrompt", "prompt", "quality", "seed", "targetPolycount", "topology"]);
        body.GetProperty("images").GetArrayLength().ShouldBe(0);
        body.GetProperty("targetPolycount").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("topology").GetString().ShouldBe("triangle");
    }

    [Fact]
    public async Task Generate_ByDefault_SendsTheImagesInlineInOrder_WithTheTargetPolycountAndTopology()
    {
        await StartAsync();
        var (png, webp) = (new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 }, new byte[] { 0x52, 0x49, 0x46, 0x46, 9, 8 });
        var request = RemoteModelServerHarness.Request(AssetFormat.Glb, AssetFormat.Stl) with
        {
            Prompt = string.Empty,
            Images = [Image(AssetFormat.Png, png), Image(AssetFormat.Webp, webp)],
            TargetPolycount = 20_000,
            Topology = MeshTopology.Quad,
        };
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb), ("mesh.stl", "stl", ModelFiles.Stl));

        using (await Harness.GenerateAsync(request))
        {
        }

        var body = Server.Requests.Single(r => r.Method == "POST" && r.Path == Create).Json;
        body.GetProperty("prompt").GetString().ShouldBe(string.Empty);
        var images = body.GetProperty("images").EnumerateArray().ToList();
        foreach (var image in images)
        {
            Names(image).ShouldBe(["data", "mediaType"]);
        }

        images.Select(i => Convert.FromBase64String(i.GetProperty("data").GetString()!)).ShouldBe([png, webp]);
        images.Select(i => i.GetProperty("mediaType").GetString()).ShouldBe(["image/png", "image/webp"]);
        body.GetProperty("targetPolycount").GetInt32().ShouldBe(20_000);
        body.GetProperty("topology").GetString().ShouldBe("quad");
        body.GetProperty("formats").EnumerateArray().Select(f => f.GetString()).ShouldBe(["glb", "stl"]);
    }

    [Fact]
    public async Task Generate_WithImageInputsUrl_SendsTheSignedUrlsAndNotTheBytes()
    {
        await StartAsync(o => o.ImageInputs = ModelServerImageInputs.Url);
        var opened = 0;
        var image = new GenerationImage(Guid.NewGuid(), AssetFormat.Jpg, new Uri("https://api.example.com/assets/2026/12/a.jpg?exp=9&sig=abc"), _ =>
        {
            Interlocked.Increment(ref opened);
            return Task.FromResult<Stream>(new MemoryStream([0xFF, 0xD8, 0xFF]));
        });
        var request = RemoteModelServerHarness.Request() with { Images = [image] };
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));

        using (await Harness.GenerateAsync(request))
        {
        }

        var sent = Server.Requests.Single(r => r.Method == "POST" && r.Path == Create).Json.GetProperty("images").EnumerateArray().Single();
        Names(sent).ShouldBe(["mediaType", "url"]);
        sent.GetProperty("url").GetString().ShouldBe("https://api.example.com/assets/2026/12/a.jpg?exp=9&sig=abc");
        sent.GetProperty("mediaType").GetString().ShouldBe("image/jpeg");
        opened.ShouldBe(0);
    }

    [Fact]
    public async Task Generate_Stl_IsDownloadedAndDelivered()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request(AssetFormat.Stl);
        ScriptSuccess(request.JobId, ("mesh.stl", "stl", ModelFiles.Stl), ("mesh.glb", "glb", ModelFiles.Glb));

        using var output = await Harness.GenerateAsync(request);

        var file = output.Files.Single();
        (file.FileName, file.Format).ShouldBe(("mesh.stl", AssetFormat.Stl));
        await using var content = file.Open();
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        copy.ToArray().ShouldBe(ModelFiles.Stl);
        Server.Count("GET", $"/v1/generations/{request.JobId}/files/mesh.glb").ShouldBe(0);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(0, 0)]
    public async Task Generate_WhenAnStlIsNotAsLongAsItsTriangleCountSays_FailsAndKeepsNothing(int declared, int actual)
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request(AssetFormat.Stl);
        ScriptSuccess(request.JobId, ("mesh.stl", "stl", ModelFiles.MakeStl(declared, actual)));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe("The model server sent a file (mesh.stl) that is not a valid stl file.");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_ByDefault_KeepsTheFilesInAPrivateTemporaryFolderUntilTheOutputIsDisposed()
    {
        await StartInSystemTempAsync();
        var request = RemoteModelServerHarness.Request();
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));
        string folder;

        using (var output = await Harness.GenerateAsync(request))
        {
            await using var file = (FileStream)output.Files.Single().Open();
            folder = Path.GetDirectoryName(file.Name)!;
            Path.GetFileName(folder).ShouldStartWith("cleanbackend-model-");
            Path.GetDirectoryName(folder).ShouldBe(Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar));
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(folder).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Exists(folder).ShouldBeFalse();
    }

    [Fact]
    public async Task Generate_ReportsTheServersProgressAndThen100()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        var status = $"/v1/generations/{request.JobId}";
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));
        Server.On(
            "GET",
            status,
            Json(200, new { id = request.JobId, status = "queued", progress = 0 }),
            Json(200, new { id = request.JobId, status = "running", progress = 5 }),
            Json(200, new { id = request.JobId, status = "running", progress = 30.4 }),
            Json(200, new { id = request.JobId, status = "running", progress = 30 }),
            Json(200, new { id = request.JobId, status = "running", progress = 75 }),
            Succeeded(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb)));
        var progress = new ProgressRecorder();

        using var output = await Harness.GenerateAsync(request, progress);

        progress.Values.ShouldBe([5, 30, 75, 99, 100]);
        Server.Count("GET", status).ShouldBe(6);
    }

    [Fact]
    public async Task Generate_WhenTheSubmitFailsWith503AndThenADroppedConnection_SucceedsOnTheThirdTry()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        var request = RemoteModelServerHarness.Request();
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));
        Server.On("POST", Create, Status(503), Drop(), Json(202, new { id = request.JobId, status = "queued" }));

        using var output = await Harness.GenerateAsync(request);

        output.Files.Single().Format.ShouldBe(AssetFormat.Glb);
        Server.Count("POST", Create).ShouldBe(3);

        // The retried submit is the same request: same id, so the server makes one generation.
        Server.Requests.Where(r => r.Path == Create).Select(r => r.Json.GetProperty("id").GetString()).Distinct().ShouldBe([request.JobId.ToString("D")]);
    }

    [Fact]
    public async Task Generate_WhenAFileDownloadFailsTransiently_RetriesTheDownload()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        var request = RemoteModelServerHarness.Request();
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));
        var file = $"/v1/generations/{request.JobId}/files/mesh.glb";
        Server.On("GET", file, Status(502), Drop(), Bytes(200, ModelFiles.Glb));

        using var output = await Harness.GenerateAsync(request);

        output.Files.Single().FileName.ShouldBe("mesh.glb");
        Server.Count("GET", file).ShouldBe(3);
    }

    [Fact]
    public async Task Generate_When400_TriesOnceAndFailsWithTheServersError()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(400, new { error = "Prompt is too long", details = "at most 500 characters" }));

        var failure = await Harness.GenerateFailureAsync(request);

        var error = failure.ShouldBeOfType<ModelServerException>();
        error.Message.ShouldContain("Prompt is too long");
        error.Message.ShouldContain("at most 500 characters");
        error.Message.ShouldContain("400");
        Server.Count("POST", Create).ShouldBe(1);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(413)]
    [InlineData(422)]
    public async Task Generate_WhenA4xxOtherThan408Or429_NeverRetries(int status)
    {
        await StartAsync(o => o.MaxAttempts = 4);
        Server.On("POST", Create, Status(status));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.Count("POST", Create).ShouldBe(1);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Generate_WhenEveryTryIsATransientStatus_TriesMaxAttemptsTimesAndFails(int status)
    {
        await StartAsync(o => o.MaxAttempts = 4);
        Server.On("POST", Create, Json(status, new { error = "GPU busy" }));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        var error = failure.ShouldBeOfType<ModelServerException>();
        error.Message.ShouldContain("GPU busy");
        error.Message.ShouldContain("4 tries");
        Server.Count("POST", Create).ShouldBe(4);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenTheServerHangs_TimesOutEachTryRetriesAndFails()
    {
        await StartAsync(o =>
        {
            o.RequestTimeout = "200ms";
            o.MaxAttempts = 3;
        });
        Server.On("POST", Create, Hang());

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        var error = failure.ShouldBeOfType<ModelServerException>();
        error.Message.ShouldStartWith("The model server did not answer after 3 tries");
        Server.Count("POST", Create).ShouldBe(3);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenTheServerKeepsFailing_OpensTheCircuitSoLaterCallsAreUnavailableWhileProbesStillReachIt()
    {
        await StartAsync(o =>
        {
            o.MaxAttempts = 2;
            o.BreakerFailures = 3;
            o.BreakDuration = "1m";
        });
        Server.On("POST", Create, Status(503));
        Server.On("GET", "/health", Status(200));

        var first = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());
        var second = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());
        var third = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());
        var healthy = await Harness.ModelServer.IsHealthyAsync(CancellationToken.None);

        first.ShouldBeOfType<ModelServerException>().Message.ShouldContain("503");
        foreach (var paused in new[] { second, third })
        {
            var unavailable = paused.ShouldBeOfType<ModelServerUnavailableException>();
            unavailable.Message.ShouldBe("The model server is unavailable: it failed 3 times in a row, so calls to it are paused for a while.");
            unavailable.RetryAfter.ShouldBeInRange(TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        }

        // The probe has a client of its own, outside the breaker: it reaches the server and says what it sees.
        healthy.ShouldBeTrue();

        // Two tries for the first job, one (the third failure in a row) for the second, none after.
        Server.Count("POST", Create).ShouldBe(3);
        Server.Count("GET", "/health").ShouldBe(1);
        Harness.Logs.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.Message.Contains("paused", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Upstream http://10.1.2.3:8000/infer refused", "The model server failed: Upstream [address] refused")]
    [InlineData("worker 10.0.0.7:9000 lost the GPU", "The model server failed: worker [address] lost the GPU")]
    [InlineData("cannot reach trellis-gpu.internal:7860 or [fd00::5]:80", "The model server failed: cannot reach [address] or [address]")]
    public async Task Generate_WhenTheServersErrorNamesAddresses_KeepsThemOutOfTheJobsError(string serverError, string expected)
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(202, new { id = request.JobId, status = "queued" }));
        Server.On("GET", $"/v1/generations/{request.JobId}", Json(200, new { id = request.JobId, status = "failed", progress = 40, error = serverError }));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe(expected);
    }

    [Fact]
    public async Task Generate_WhenTheGenerationFails_ThrowsWithTheServersError()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(202, new { id = request.JobId, status = "queued" }));
        Server.On("GET", $"/v1/generations/{request.JobId}", Json(200, new { id = request.JobId, status = "failed", progress = 40, error = "CUDA out of memory" }));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe("The model server failed: CUDA out of memory");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenCanceled_SendsCancelToTheServerAndThrowsOperationCanceled()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(202, new { id = request.JobId, status = "queued" }));
        Server.On("GET", $"/v1/generations/{request.JobId}", Json(200, new { id = request.JobId, status = "running", progress = 10 }));
        Server.On("POST", $"/v1/generations/{request.JobId}/cancel", Json(202, new { id = request.JobId, status = "canceled" }));
        using var cancel = new CancellationTokenSource();
        var progress = new ProgressRecorder(_ => cancel.Cancel());

        var failure = await Harness.GenerateFailureAsync(request, progress, cancel.Token);

        failure.ShouldBeAssignableTo<OperationCanceledException>();
        Server.Count("POST", $"/v1/generations/{request.JobId}/cancel").ShouldBe(1);
        Server.Count("GET", $"/v1/generations/{request.JobId}/files/mesh.glb").ShouldBe(0);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenCanceledAndTheCancelFails_StillThrowsOperationCanceled()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(202, new { id = request.JobId, status = "queued" }));
        Server.On("GET", $"/v1/generations/{request.JobId}", Json(200, new { id = request.JobId, status = "running", progress = 10 }));
        Server.On("POST", $"/v1/generations/{request.JobId}/cancel", Status(503));
        using var cancel = new CancellationTokenSource();

        var failure = await Harness.GenerateFailureAsync(request, new ProgressRecorder(_ => cancel.Cancel()), cancel.Token);

        failure.ShouldBeAssignableTo<OperationCanceledException>();

        // Best effort: one try, never retried.
        Server.Count("POST", $"/v1/generations/{request.JobId}/cancel").ShouldBe(1);
    }

    [Fact]
    public async Task Generate_WhenTheGenerationTakesTooLong_FailsAsTimedOutAndCancelsIt()
    {
        await StartAsync(o => o.GenerationTimeout = "300ms");
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(202, new { id = request.JobId, status = "queued" }));
        Server.On("GET", $"/v1/generations/{request.JobId}", Json(200, new { id = request.JobId, status = "running", progress = 10 }));
        Server.On("POST", $"/v1/generations/{request.JobId}/cancel", Status(202));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("timed out");
        Server.Count("POST", $"/v1/generations/{request.JobId}/cancel").ShouldBe(1);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenAFileIsLargerThanAllowed_FailsAndLeavesNoTemporaryFiles()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();

        // It declares a small size and sends a large, unannounced body: only counting the bytes catches it.
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));
        Server.On("GET", $"/v1/generations/{request.JobId}/files/mesh.glb", Chunked(ModelFiles.LargeGlb));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("larger than");
        Server.Count("GET", $"/v1/generations/{request.JobId}/files/mesh.glb").ShouldBe(1);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenAFileIsDeclaredLargerThanAllowed_FailsWithoutDownloading()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));
        Server.On("GET", $"/v1/generations/{request.JobId}", Json(200, new
        {
            id = request.JobId,
            status = "succeeded",
            progress = 100,
            files = new[] { new { name = "mesh.glb", format = "glb", sizeBytes = RemoteModelServerHarness.MaxFileBytes + 1 } },
        }));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("larger than");
        Server.Count("GET", $"/v1/generations/{request.JobId}/files/mesh.glb").ShouldBe(0);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../mesh.glb", "glb")]
    [InlineData("..%2Fmesh.glb", "glb")]
    [InlineData("models/mesh.glb", "glb")]
    [InlineData("models\\mesh.glb", "glb")]
    [InlineData("/etc/mesh.glb", "glb")]
    [InlineData("mesh..glb", "glb")]
    [InlineData(".mesh.glb", "glb")]
    [InlineData("mesh glb.glb", "glb")]
    [InlineData("mesh.exe", "glb")]
    [InlineData("mesh.png", "png")]
    [InlineData("mesh.GLB", "glb")]
    [InlineData("mesh.glb", "ply")]
    [InlineData("", "glb")]
    public async Task Generate_WhenAFileNameIsNotAllowed_FailsWithoutDownloadingAnything(string name, string format)
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        ScriptSuccess(request.JobId, (name, format, ModelFiles.Glb));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>();
        Server.Requests.ShouldNotContain(r => r.Path.Contains("/files/", StringComparison.Ordinal));
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("mesh.glb", "glb")]
    [InlineData("mesh.obj", "obj")]
    [InlineData("mesh.mtl", "mtl")]
    [InlineData("mesh.ply", "ply")]
    public async Task Generate_WhenAFilesContentIsNotItsFormat_FailsAndLeavesNoTemporaryFiles(string badName, string badFormat)
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request(AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply);
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb), ("mesh.obj", "obj", ModelFiles.Obj), ("mesh.mtl", "mtl", ModelFiles.Mtl), ("mesh.ply", "ply", ModelFiles.Ply));

        // Each wrong in its own way: text for a binary format, binary or the wrong text for a text one.
        var wrong = badFormat == "glb" ? ModelFiles.NotAModel : badFormat == "obj" ? ModelFiles.Mtl : ModelFiles.Glb;
        Server.On("GET", $"/v1/generations/{request.JobId}/files/{badName}", Bytes(200, wrong));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain($"not a valid {badFormat} file");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenARequestedFormatIsMissing_Fails()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request(AssetFormat.Obj);

        // An obj without its mtl is not what was asked for.
        ScriptSuccess(request.JobId, ("mesh.obj", "obj", ModelFiles.Obj));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("mtl");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenTheStatusIsNotJson_FailsWithoutRetrying()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request();
        Server.On("POST", Create, Json(202, new { id = request.JobId, status = "queued" }));
        Server.On("GET", $"/v1/generations/{request.JobId}", Bytes(200, "<html>proxy login</html>"u8.ToArray(), "text/html"));

        var failure = await Harness.GenerateFailureAsync(request);

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("cannot use");
        Server.Count("GET", $"/v1/generations/{request.JobId}").ShouldBe(1);
    }

    [Fact]
    public async Task Generate_LogsOnlyTheBeginningOfThePrompt()
    {
        await StartAsync();
        var request = RemoteModelServerHarness.Request() with { Prompt = "A castle on a hill at dawn, with banners and SECRET-TAIL-OF-THE-PROMPT" };
        ScriptSuccess(request.JobId, ("mesh.glb", "glb", ModelFiles.Glb));

        using var output = await Harness.GenerateAsync(request);

        Harness.Logs.Entries.ShouldContain(e => e.Level == LogLevel.Information && e.Message.Contains("A castle on a hill", StringComparison.Ordinal));
        Harness.Logs.Entries.ShouldNotContain(e => e.FullText.Contains("SECRET-TAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IsHealthy_WhenProbesKeepFailing_NeverOpensTheBreakerForJobs()
    {
        await StartAsync(o =>
        {
            o.MaxAttempts = 1;
            o.BreakerFailures = 2;
            o.BreakDuration = "1m";
        });
        Server.On("GET", "/health", Status(503));
        Server.On("POST", Create, Bytes(202, "not json"u8.ToArray(), "application/json"));

        for (var i = 0; i < 4; i++)
        {
            (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeFalse();
        }

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        // The job reached the server: its failure is the server's bad answer, not a paused circuit.
        Server.Count("POST", Create).ShouldBe(1);
        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe(
            "The model server gave an answer this service cannot use: POST /v1/generations did not answer the expected JSON.");
    }

    [Fact]
    public async Task Generate_WhenTheAnswerIsUnusable_NamesTheCallButNotTheServersAddress()
    {
        await StartAsync();
        Server.On("POST", Create, Bytes(202, "null"u8.ToArray(), "application/json"));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe("The model server gave an answer this service cannot use: POST /v1/generations answered null.");
        failure.Message.ShouldNotContain("127.0.0.1");
        failure.Message.ShouldNotContain("http");
    }

    [Fact]
    public async Task IsHealthy_WhenTheServerHangs_IsFalseAfterTheProbeTimeout()
    {
        await StartAsync(o => o.RequestTimeout = "30s");
        Server.On("GET", "/health", Hang());

        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task IsHealthy_AsksHealthOnce()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        Server.On("GET", "/health", Status(200), Status(503));

        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeTrue();
        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeFalse();

        Server.Count("GET", "/health").ShouldBe(2);
        Harness.ModelServer.Name.ShouldBe("v1");
    }

    private static FakeAnswer Succeeded(Guid id, params (string Name, string Format, byte[] Bytes)[] files) =>
        Json(200, new
        {
            id,
            status = "succeeded",
            progress = 100,
            error = (string?)null,
            files = files.Select(f => new { name = f.Name, format = f.Format, sizeBytes = f.Bytes.Length }).ToArray(),
        });

    private static string[] Names(JsonElement json) => [.. json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static GenerationImage Image(AssetFormat format, byte[] bytes) =>
        new(Guid.NewGuid(), format, new Uri($"https://api.example.com/assets/{Guid.NewGuid():N}.{format.Extension()}?exp=1&sig=s"), _ => Task.FromResult<Stream>(new MemoryStream(bytes)));

    /// <summary>A server that takes the job, reports it running, then done with <paramref name="files"/>, and serves them.</summary>
    private void ScriptSuccess(Guid id, params (string Name, string Format, byte[] Bytes)[] files)
    {
        Server.On("POST", Create, Json(202, new { id, status = "queued" }));
        Server.On("GET", $"/v1/generations/{id}", Json(200, new { id, status = "running", progress = 50 }), Succeeded(id, files));
        foreach (var (name, _, bytes) in files)
        {
            Server.On("GET", $"/v1/generations/{id}/files/{name}", Bytes(200, bytes));
        }
    }
}
