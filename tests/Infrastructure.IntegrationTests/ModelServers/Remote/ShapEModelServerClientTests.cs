using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers;
using static CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote.FakeAnswer;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote;

public sealed class ShapEModelServerClientTests() : RemoteModelServerTests(ModelServerProtocols.ShapE)
{
    private const string Generate = "/generate3D";
    private const string ModelId = "3f2a9c1e-teapot";

    [Fact]
    public async Task Generate_PostsTheSeedsRequestAndDeliversTheCheckedMeshFiles()
    {
        await StartAsync();
        ScriptSuccess();
        var request = RemoteModelServerHarness.Request(AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply);
        string folder;

        using (var output = await Harness.GenerateAsync(request))
        {
            output.Files.Select(f => (f.FileName, f.Format)).ShouldBe(
                [("mesh.glb", AssetFormat.Glb), ("mesh.obj", AssetFormat.Obj), ("mesh.ply", AssetFormat.Ply), ("mesh.mtl", AssetFormat.Mtl)]);
            foreach (var file in output.Files)
            {
                await using var content = file.Open();
                using var copy = new MemoryStream();
                await content.CopyToAsync(copy);
                copy.ToArray().ShouldBe(ModelFiles.For(file.Format));
            }

            folder = Harness.TempEntries.Where(Directory.Exists).ShouldHaveSingleItem();
        }

        Directory.Exists(folder).ShouldBeFalse();
        var body = Server.Requests.Single(r => r.Path == Generate).Json;
        body.GetProperty("prompt").GetString().ShouldBe(request.Prompt);
        body.GetProperty("guidanceScale").GetDouble().ShouldBe(15);
        body.GetProperty("steps").GetInt32().ShouldBe(64);
        body.GetProperty("frameSize").GetInt32().ShouldBe(256);
    }

    [Fact]
    public async Task Generate_AJobWithImages_FailsAtOnceWithTheReason_AndSendsNothing()
    {
        await StartAsync();
        ScriptSuccess();
        var image = new GenerationImage(Guid.NewGuid(), AssetFormat.Png, new Uri("https://api.example.com/assets/a.png?exp=1&sig=s"), _ => Task.FromResult<Stream>(new MemoryStream([0x89])));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request() with { Images = [image] });

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe("The shap-e model server makes models from text only, and this job has input images.");
        Server.Requests.ShouldBeEmpty();
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_Stl_FailsAtOnceWithTheReason_AndSendsNothing()
    {
        await StartAsync();
        ScriptSuccess();

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request(AssetFormat.Glb, AssetFormat.Stl));

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldBe("The shap-e model server makes glb, obj and ply; it cannot make stl.");
        Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_IgnoresTheTargetPolycountAndTopology_WhichTheServerTakesNot()
    {
        await StartAsync();
        ScriptSuccess();

        using (await Harness.GenerateAsync(RemoteModelServerHarness.Request() with { TargetPolycount = 1000, Topology = MeshTopology.Quad }))
        {
        }

        Server.Requests.Single(r => r.Path == Generate).Json.EnumerateObject().Select(p => p.Name).ShouldBe(["prompt", "guidanceScale", "steps", "frameSize"]);
    }

    [Fact]
    public async Task Generate_Draft_AsksForFewerSteps()
    {
        await StartAsync();
        ScriptSuccess();

        using var output = await Harness.GenerateAsync(RemoteModelServerHarness.Request() with { Quality = GenerationQuality.Draft });

        Server.Requests.Single(r => r.Path == Generate).Json.GetProperty("steps").GetInt32().ShouldBe(32);
        output.Files.ShouldHaveSingleItem().FileName.ShouldBe("mesh.glb");
        Server.Count("GET", $"/data/assets/{ModelId}/mesh.obj").ShouldBe(0);
    }

    [Fact]
    public async Task Generate_ReportsAnEstimateBelow90WhileWaitingAndThen100()
    {
        await StartAsync();
        ScriptSuccess();

        // The server answers only once an estimate has been seen, as a real one would minutes later.
        var estimated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.On("POST", Generate, After(estimated.Task, Json(200, new { id = ModelId })));
        var progress = new ProgressRecorder(p =>
        {
            if (p is > 0 and < 100)
            {
                estimated.TrySetResult();
            }
        });

        using var output = await Harness.GenerateAsync(RemoteModelServerHarness.Request(), progress);

        var values = progress.Values;
        values[^1].ShouldBe(100);
        values.Count.ShouldBeGreaterThan(1);
        values.SkipLast(1).ShouldAllBe(v => v >= 1 && v <= 90);
        values.ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Generate_When503AndThenADroppedConnection_SucceedsOnTheThirdTry()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        ScriptSuccess();
        Server.On("POST", Generate, Status(503), Drop(), Json(200, new { id = ModelId }));

        using var output = await Harness.GenerateAsync(RemoteModelServerHarness.Request());

        output.Files.ShouldHaveSingleItem().Format.ShouldBe(AssetFormat.Glb);
        Server.Count("POST", Generate).ShouldBe(3);
        Server.Count("GET", $"/data/assets/{ModelId}/mesh.glb").ShouldBe(1);
    }

    [Fact]
    public async Task Generate_WhenAMeshDownloadFailsTransiently_RetriesIt()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        ScriptSuccess();
        Server.On("GET", $"/data/assets/{ModelId}/mesh.glb", Status(503), Drop(), Bytes(200, ModelFiles.Glb));

        using var output = await Harness.GenerateAsync(RemoteModelServerHarness.Request());

        output.Files.ShouldHaveSingleItem().FileName.ShouldBe("mesh.glb");
        Server.Count("POST", Generate).ShouldBe(1);
        Server.Count("GET", $"/data/assets/{ModelId}/mesh.glb").ShouldBe(3);
    }

    [Fact]
    public async Task Generate_When400_TriesOnceAndFailsWithTheServersErrorAndDetails()
    {
        await StartAsync();
        Server.On("POST", Generate, Json(400, new { error = "Missing prompt", details = "prompt must be a non-empty string" }));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message
            .ShouldBe("The model server refused the request (400 Bad Request): Missing prompt: prompt must be a non-empty string");
        Server.Count("POST", Generate).ShouldBe(1);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_When500EveryTime_RetriesAndFailsWithTheServersError()
    {
        await StartAsync(o => o.MaxAttempts = 2);
        Server.On("POST", Generate, Json(500, new { error = "Generation failed", details = "CUDA out of memory" }));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        var error = failure.ShouldBeOfType<ModelServerException>();
        error.Message.ShouldContain("Generation failed: CUDA out of memory");
        error.Message.ShouldContain("2 tries");
        Server.Count("POST", Generate).ShouldBe(2);
    }

    [Theory]
    [InlineData(400, 1)]
    [InlineData(401, 1)]
    [InlineData(404, 1)]
    [InlineData(405, 1)]
    [InlineData(415, 1)]
    [InlineData(422, 1)]
    [InlineData(408, 3)]
    [InlineData(429, 3)]
    [InlineData(502, 3)]
    public async Task Generate_RetriesOnlyTransientStatuses(int status, int expectedTries)
    {
        await StartAsync(o => o.MaxAttempts = 3);
        Server.On("POST", Generate, Status(status));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>();
        Server.Count("POST", Generate).ShouldBe(expectedTries);
    }

    [Fact]
    public async Task Generate_WhenAMeshDownloadHangs_TimesOutEachTryRetriesAndFails()
    {
        await StartAsync(o =>
        {
            o.RequestTimeout = "200ms";
            o.MaxAttempts = 3;
        });
        ScriptSuccess();
        Server.On("GET", $"/data/assets/{ModelId}/mesh.glb", Hang());

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldStartWith("The model server did not answer after 3 tries");
        Server.Count("GET", $"/data/assets/{ModelId}/mesh.glb").ShouldBe(3);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenTheGenerateCallHangs_GetsTheGenerationTimeoutNotTheRequestTimeout()
    {
        await StartAsync(o =>
        {
            o.RequestTimeout = "300ms";
            o.GenerationTimeout = "30s";
            o.MaxAttempts = 3;
        });
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Far past RequestTimeout, well within GenerationTimeout: one try, then the model.
        Server.On("POST", Generate, After(answer.Task, Json(200, new { id = ModelId })));
        Server.On("GET", $"/data/assets/{ModelId}/mesh.glb", Bytes(200, ModelFiles.Glb));
        _ = Task.Delay(TimeSpan.FromMilliseconds(1200)).ContinueWith(_ => answer.TrySetResult(), TaskScheduler.Default);

        using var output = await Harness.GenerateAsync(RemoteModelServerHarness.Request());

        output.Files.ShouldHaveSingleItem();
        Server.Count("POST", Generate).ShouldBe(1);
    }

    [Fact]
    public async Task Generate_WhenTheGenerateCallNeverAnswers_FailsAsTimedOut()
    {
        await StartAsync(o => o.GenerationTimeout = "1s");
        Server.On("POST", Generate, Hang());

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("timed out");
        Server.Count("POST", Generate).ShouldBe(1);
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
        Server.On("POST", Generate, Drop());
        Server.On("GET", "/health", Json(200, new { ok = true, device = "cuda" }));

        var first = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());
        var second = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());
        var third = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());
        var healthy = await Harness.ModelServer.IsHealthyAsync(CancellationToken.None);

        first.ShouldBeOfType<ModelServerException>().Message.ShouldStartWith("The model server did not answer after 2 tries");
        foreach (var paused in new[] { second, third })
        {
            var unavailable = paused.ShouldBeOfType<ModelServerUnavailableException>();
            unavailable.Message.ShouldBe("The model server is unavailable: it failed 3 times in a row, so calls to it are paused for a while.");
            unavailable.RetryAfter.ShouldBeInRange(TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        }

        // The probe has a client of its own, outside the breaker: it reaches the server and says what it sees.
        healthy.ShouldBeTrue();
        Server.Count("POST", Generate).ShouldBe(3);
        Server.Count("GET", "/health").ShouldBe(1);
    }

    [Fact]
    public async Task Generate_WhenAMeshIsLargerThanAllowed_FailsAndLeavesNoTemporaryFiles()
    {
        await StartAsync();
        ScriptSuccess();
        Server.On("GET", $"/data/assets/{ModelId}/mesh.glb", Bytes(200, ModelFiles.LargeGlb));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("larger than");
        Server.Count("GET", $"/data/assets/{ModelId}/mesh.glb").ShouldBe(1);
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenAnUnannouncedMeshIsLargerThanAllowed_StopsReadingAndFails()
    {
        await StartAsync();
        ScriptSuccess();
        Server.On("GET", $"/data/assets/{ModelId}/mesh.glb", Chunked(ModelFiles.LargeGlb));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("larger than");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("%2e%2e")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task Generate_WhenTheModelIdIsAPathTrick_FailsWithoutDownloading(string id)
    {
        await StartAsync();
        Server.On("POST", Generate, Json(200, new { id }));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("id");
        Server.Requests.ShouldNotContain(r => r.Method == "GET");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenTheAnswerHasNoId_Fails()
    {
        await StartAsync();
        Server.On("POST", Generate, Json(200, new { status = "ok" }));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request());

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain("id");
    }

    [Fact]
    public async Task Generate_AcceptsANumericModelId()
    {
        await StartAsync();
        ScriptSuccess();
        Server.On("POST", Generate, Json(200, new { id = 1700000000 }));
        Server.On("GET", "/data/assets/1700000000/mesh.glb", Bytes(200, ModelFiles.Glb));

        using var output = await Harness.GenerateAsync(RemoteModelServerHarness.Request());

        output.Files.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData(AssetFormat.Glb)]
    [InlineData(AssetFormat.Obj)]
    [InlineData(AssetFormat.Mtl)]
    [InlineData(AssetFormat.Ply)]
    public async Task Generate_WhenAMeshIsNotItsFormat_FailsAndLeavesNoTemporaryFiles(AssetFormat bad)
    {
        await StartAsync();
        ScriptSuccess();
        var name = $"mesh.{bad.Extension()}";
        Server.On("GET", $"/data/assets/{ModelId}/{name}", Bytes(200, bad == AssetFormat.Glb ? ModelFiles.NotAModel : ModelFiles.Glb));

        var failure = await Harness.GenerateFailureAsync(RemoteModelServerHarness.Request(AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply));

        failure.ShouldBeOfType<ModelServerException>().Message.ShouldContain($"({name}) that is not a valid {bad.Extension()} file");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_WhenCanceled_AbandonsTheCallAndThrowsOperationCanceled()
    {
        await StartAsync();
        ScriptSuccess();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.On("POST", Generate, Notify(arrived, Hang()));
        using var cancel = new CancellationTokenSource();

        var generation = Harness.GenerateFailureAsync(RemoteModelServerHarness.Request(), cancellationToken: cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        var failure = await generation;

        failure.ShouldBeAssignableTo<OperationCanceledException>();
        Server.Count("POST", Generate).ShouldBe(1);
        Server.Requests.ShouldNotContain(r => r.Method == "GET");
        Harness.TempEntries.ShouldBeEmpty();
    }

    [Fact]
    public async Task IsHealthy_IsTrueOnlyForOkTrue()
    {
        await StartAsync(o => o.MaxAttempts = 3);
        Server.On(
            "GET",
            "/health",
            Json(200, new { ok = true, device = "cuda" }),
            Json(200, new { ok = false, device = "cpu" }),
            Bytes(200, "fine"u8.ToArray(), "text/plain"),
            Status(503));

        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeTrue();
        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeFalse();
        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeFalse();
        (await Harness.ModelServer.IsHealthyAsync(CancellationToken.None)).ShouldBeFalse();

        Server.Count("GET", "/health").ShouldBe(4);
        Harness.ModelServer.Name.ShouldBe("shap-e");
    }

    /// <summary>The seed's server: one model, its four mesh files.</summary>
    private void ScriptSuccess()
    {
        Server.On("POST", Generate, Json(200, new { id = ModelId }));
        foreach (var format in new[] { AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Mtl, AssetFormat.Ply })
        {
            Server.On("GET", $"/data/assets/{ModelId}/mesh.{format.Extension()}", Bytes(200, ModelFiles.For(format)));
        }
    }
}
