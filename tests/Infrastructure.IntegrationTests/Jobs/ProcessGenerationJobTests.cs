using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Common.Options;
using CleanBackend.Application.Jobs.Commands.ProcessJob;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CleanBackend.Infrastructure.IntegrationTests.Jobs;

/// <summary>
/// What processing a started job decides, with the model server, the file storage and the event bus as mocks and
/// the job in a real SQLite database.
/// </summary>
public sealed class ProcessGenerationJobTests : IAsyncLifetime
{
    private const string Worker = "worker-1";
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<IModelServer> _modelServer = new(MockBehavior.Strict);

    // Only test API keys' jobs reach the built-in generator; these jobs are not theirs.
    private readonly Mock<IModelServer> _builtIn = new(MockBehavior.Strict);
    private readonly Mock<IFileStorage> _storage = new();
    private readonly Mock<IAssetUrlSigner> _signer = new();
    private readonly Mock<IModelPreviewRenderer> _renderer = new(MockBehavior.Strict);
    private readonly Mock<IJobEventBus> _events = new();
    private readonly Mock<IIdentityService> _identity = new();
    private readonly List<JobEvent> _published = [];
    private TestDatabase _database = null!;
    private Guid _jobId;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("sqlite");
        await using var db = _database.CreateContext();
        var user = await TestUsers.AddAsync(db);
        var job = new GenerationJob(user.Id, "a red cube", null, [AssetFormat.Glb], 7, GenerationQuality.Draft, null, Now.UtcDateTime);
        job.Start(Worker, Now.UtcDateTime, TimeSpan.FromMinutes(1));
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        _jobId = job.Id;
        _modelServer.SetupGet(m => m.Name).Returns("mock");
        _events.Setup(e => e.Publish(It.IsAny<JobEvent>())).Callback<JobEvent>(_published.Add);
        var stored = 0;
        _storage.Setup(s => s.SaveAsync(It.IsAny<Stream>(), It.IsAny<string>(), It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Stream _, string extension, long _, CancellationToken _) => new StoredFile($"2026/07/{++stored}.{extension}", 12, new string('c', 64)));

        // The files of these tests are twelve zero bytes: no model to draw.
        _renderer.SetupGet(r => r.Readable).Returns([AssetFormat.Glb, AssetFormat.Ply, AssetFormat.Stl]);
        _renderer.Setup(r => r.RenderPngAsync(It.IsAny<Stream>(), It.IsAny<AssetFormat>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new UnreadableModelException("The glb cannot be read: it does not start with the binary glTF header."));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Success_StoresEachFileAsAnAsset_CompletesTheJob_AndPublishesCompleted()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GenerationRequest request, IProgress<int> progress, CancellationToken _) =>
            {
                request.Prompt.ShouldBe("a red cube");
                request.Formats.ShouldBe([AssetFormat.Glb]);
                progress.Report(40);
                return Output(("model.glb", AssetFormat.Glb), ("preview.png", AssetFormat.Png));
            });

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Completed);
        await using var db = _database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == _jobId);
        job.Status.ShouldBe(JobStatus.Completed);
        job.Progress.ShouldBe(100);
        (await db.Assets.Where(a => a.JobId == _jobId).Select(a => a.Format).ToListAsync()).Order().ShouldBe([AssetFormat.Glb, AssetFormat.Png]);
        _published.Select(e => e.Type).ShouldBe(["started", "progress", "completed"]);
        _storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _renderer.Verify(r => r.RenderPngAsync(It.IsAny<Stream>(), It.IsAny<AssetFormat>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ModelWithoutAPreview_GetsOneDrawnFromItsGlb_AsThePngAssetOfTheJob()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Output(("mesh.stl", AssetFormat.Stl), ("mesh.ply", AssetFormat.Ply), ("mesh.glb", AssetFormat.Glb)));
        _renderer.Setup(r => r.RenderPngAsync(It.IsAny<Stream>(), AssetFormat.Glb, It.IsAny<CancellationToken>())).ReturnsAsync([0x89, 0x50, 0x4E, 0x47]);

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Completed);
        await using var db = _database.CreateContext();
        var assets = await db.Assets.Where(a => a.JobId == _jobId).OrderBy(a => a.StorageKey).Select(a => new { a.Format, a.FileName, a.StorageKey }).ToListAsync();
        assets.Select(a => (a.Format, a.FileName, a.StorageKey)).ShouldBe([
            (AssetFormat.Stl, "mesh.stl", "2026/07/1.stl"), (AssetFormat.Ply, "mesh.ply", "2026/07/2.ply"),
            (AssetFormat.Glb, "mesh.glb", "2026/07/3.glb"), (AssetFormat.Png, "preview.png", "2026/07/4.png")]);
        _renderer.Verify(r => r.RenderPngAsync(It.IsAny<Stream>(), It.IsAny<AssetFormat>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ModelThatCannotBeDrawn_StillCompletes_WithoutAThumbnail()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Output(("mesh.glb", AssetFormat.Glb)));

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Completed);
        await using var db = _database.CreateContext();
        (await db.Assets.Where(a => a.JobId == _jobId).Select(a => a.Format).ToListAsync()).ShouldBe([AssetFormat.Glb]);
        _published.Select(e => e.Type).ShouldBe(["started", "completed"]);
    }

    [Fact]
    public async Task PreviewThatCannotBeStored_StillCompletes_WithoutAThumbnail()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Output(("mesh.glb", AssetFormat.Glb)));
        _renderer.Setup(r => r.RenderPngAsync(It.IsAny<Stream>(), AssetFormat.Glb, It.IsAny<CancellationToken>())).ReturnsAsync([0x89, 0x50, 0x4E, 0x47]);
        _storage.Setup(s => s.SaveAsync(It.IsAny<Stream>(), "png", It.IsAny<long>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("disk full"));

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Completed);
        await using var db = _database.CreateContext();
        (await db.Assets.Where(a => a.JobId == _jobId).Select(a => a.Format).ToListAsync()).ShouldBe([AssetFormat.Glb]);
    }

    [Fact]
    public async Task DeliveryOfNoReadableFormat_CompletesWithoutAThumbnail_AndDrawsNothing()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Output(("mesh.obj", AssetFormat.Obj), ("mesh.mtl", AssetFormat.Mtl)));

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Completed);
        _renderer.Verify(r => r.RenderPngAsync(It.IsAny<Stream>(), It.IsAny<AssetFormat>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ModelServerFailure_FailsTheJobWithItsMessage()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModelServerException("The model server did not answer after 4 tries."));

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Failed);
        await using var db = _database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == _jobId);
        job.Error.ShouldBe("The model server did not answer after 4 tries.");
        job.LeaseOwner.ShouldBeNull();
        _published.Select(e => e.Type).ShouldBe(["started", "failed"]);
        _published[^1].Error.ShouldBe("The model server did not answer after 4 tries.");
    }

    [Fact]
    public async Task UnexpectedFailure_FailsTheJobWithoutItsInternals()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("connection string Password=hunter2"));

        await HandleAsync();

        await using var db = _database.CreateContext();
        (await db.GenerationJobs.SingleAsync(j => j.Id == _jobId)).Error.ShouldBe("Generation failed unexpectedly.");
    }

    [Fact]
    public async Task StorageFailingHalfWay_RemovesTheFilesAlreadyStored_AndFailsTheJob()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Output(("model.glb", AssetFormat.Glb), ("preview.png", AssetFormat.Png)));
        _storage.Setup(s => s.SaveAsync(It.IsAny<Stream>(), "png", It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("disk full"));

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Failed);
        _storage.Verify(s => s.DeleteAsync("2026/07/1.glb", It.IsAny<CancellationToken>()), Times.Once);
        await using var db = _database.CreateContext();
        (await db.Assets.CountAsync(a => a.JobId == _jobId)).ShouldBe(0);
    }

    [Fact]
    public async Task Cancellation_IsPassedOn_AndTheJobIsLeftForTheWorkerToDecide()
    {
        using var cancel = new CancellationTokenSource();
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .Returns(async (GenerationRequest _, IProgress<int> _, CancellationToken token) =>
            {
                await cancel.CancelAsync();
                token.ThrowIfCancellationRequested();
                return Output();
            });

        await Should.ThrowAsync<OperationCanceledException>(() => HandleAsync(cancel.Token));

        await using var db = _database.CreateContext();
        (await db.GenerationJobs.SingleAsync(j => j.Id == _jobId)).Status.ShouldBe(JobStatus.Running);
    }

    [Fact]
    public async Task AJobHeldByAnotherWorker_IsNotRun()
    {
        var status = await HandleAsync(worker: "someone-else");

        status.ShouldBe(JobStatus.Running);
        _modelServer.Verify(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()), Times.Never);
        _published.ShouldBeEmpty();
    }

    [Fact]
    public async Task ModelServerUnavailable_WaitsOutTheBreak_ThenPutsTheJobBackInTheQueue()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModelServerUnavailableException("The model server is unavailable: calls to it are paused for a while.", TimeSpan.FromSeconds(30), null));
        var clock = new FakeTimeProvider(Now.AddSeconds(2));

        var handling = HandleAsync(clock: clock, maxAttempts: 3);
        await Task.Delay(200);
        handling.IsCompleted.ShouldBeFalse();
        (await StatusAsync()).ShouldBe(JobStatus.Running);
        clock.Advance(TimeSpan.FromSeconds(30));
        var status = await handling.WaitAsync(TimeSpan.FromSeconds(30));

        status.ShouldBe(JobStatus.Queued);
        await using var db = _database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == _jobId);
        (job.Status, job.Error, job.LeaseOwner, job.Attempts).ShouldBe((JobStatus.Queued, (string?)null, (string?)null, 1));
        _published.Select(e => e.Type).ShouldBe(["started", "queued"]);
    }

    [Fact]
    public async Task ModelServerUnavailable_OnTheLastStart_FailsTheJobWithTheReason()
    {
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModelServerUnavailableException("The model server is unavailable: calls to it are paused for a while.", TimeSpan.Zero, null));

        var status = await HandleAsync(maxAttempts: 1);

        status.ShouldBe(JobStatus.Failed);
        await using var db = _database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == _jobId);
        job.Error.ShouldBe("The model server is unavailable: calls to it are paused for a while.");
        _published.Select(e => e.Type).ShouldBe(["started", "failed"]);
    }

    [Fact]
    public async Task ModelServerFailure_OfAJobInAChat_AnswersInTheChatWithTheError()
    {
        var chatId = await UseAJobInAChatAsync();
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModelServerException("The model server did not answer after 4 tries."));

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Failed);
        await AssertTheOnlyAnswerAsync(chatId, "The model could not be generated: The model server did not answer after 4 tries.");
    }

    [Fact]
    public async Task UnexpectedFailure_OfAJobInAChat_AnswersInTheChatWithoutTheInternals()
    {
        var chatId = await UseAJobInAChatAsync();
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("connection string Password=hunter2"));

        await HandleAsync();

        await AssertTheOnlyAnswerAsync(chatId, "The model could not be generated: Generation failed unexpectedly.");
    }

    [Fact]
    public async Task ModelServerUnavailable_OnTheLastStart_OfAJobInAChat_AnswersInTheChatWithTheReason()
    {
        var chatId = await UseAJobInAChatAsync();
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModelServerUnavailableException("The model server is unavailable: calls to it are paused for a while.", TimeSpan.Zero, null));

        var status = await HandleAsync(maxAttempts: 1);

        status.ShouldBe(JobStatus.Failed);
        await AssertTheOnlyAnswerAsync(chatId, "The model could not be generated: The model server is unavailable: calls to it are paused for a while.");
    }

    [Fact]
    public async Task ModelServerUnavailable_WithStartsLeft_OfAJobInAChat_DoesNotAnswerYet()
    {
        var chatId = await UseAJobInAChatAsync();
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModelServerUnavailableException("The model server is unavailable: calls to it are paused for a while.", TimeSpan.Zero, null));

        var status = await HandleAsync(maxAttempts: 3);

        status.ShouldBe(JobStatus.Queued);
        await using var db = _database.CreateContext();
        (await db.Messages.CountAsync(m => m.ChatId == chatId)).ShouldBe(0);
        (await db.Chats.SingleAsync(c => c.Id == chatId)).MessageCount.ShouldBe(0);
    }

    /// <summary>Makes the job under test one started in a new chat that asked for an answer there.</summary>
    private async Task<Guid> UseAJobInAChatAsync()
    {
        await using var db = _database.CreateContext();
        var user = await TestUsers.AddAsync(db);
        var chat = new Chat(user.Id, "Cubes", Now.UtcDateTime);
        var job = new GenerationJob(user.Id, "a red cube", null, [AssetFormat.Glb], 7, GenerationQuality.Draft, chat.Id, Now.UtcDateTime, replyInChat: true);
        job.Start(Worker, Now.UtcDateTime, TimeSpan.FromMinutes(1));
        db.Chats.Add(chat);
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        _jobId = job.Id;
        return chat.Id;
    }

    private async Task AssertTheOnlyAnswerAsync(Guid chatId, string content)
    {
        var answeredAt = Now.AddSeconds(2).UtcDateTime;
        await using var db = _database.CreateContext();
        var message = await db.Messages.SingleAsync(m => m.ChatId == chatId);
        (message.Role, message.Content, message.CreatedAt).ShouldBe((MessageRole.Assistant, content, answeredAt));
        message.Attachments.ShouldBeEmpty();
        var chat = await db.Chats.SingleAsync(c => c.Id == chatId);
        (chat.MessageCount, chat.LastMessageAt).ShouldBe((1, (DateTime?)answeredAt));
        (await db.GenerationJobs.SingleAsync(j => j.Id == _jobId)).Status.ShouldBe(JobStatus.Failed);
    }

    [Fact]
    public async Task TestKeysJob_RunsOnTheBuiltInGenerator_NotTheConfiguredServer()
    {
        Guid testJobId;
        await using (var db = _database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            var job = new GenerationJob(user.Id, "a blue cone", null, [AssetFormat.Glb], 7, GenerationQuality.Draft, null, Now.UtcDateTime, testMode: true);
            job.Start(Worker, Now.UtcDateTime, TimeSpan.FromMinutes(1));
            db.GenerationJobs.Add(job);
            await db.SaveChangesAsync();
            testJobId = job.Id;
        }

        _builtIn.SetupGet(m => m.Name).Returns("built-in");
        _builtIn.Setup(m => m.GenerateAsync(It.Is<GenerationRequest>(r => r.JobId == testJobId), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Output(("model.glb", AssetFormat.Glb)));
        _jobId = testJobId;

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Completed);
        _modelServer.Verify(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()), Times.Never);
        _builtIn.Verify(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AJobWithImages_SendsThemInOrder_WithSignedUrlsAndTheirStoredBytes_AndItsMeshSettings()
    {
        var (first, second) = (new byte[] { 0x89, 1, 2 }, new byte[] { 0xFF, 3 });
        _storage.Setup(s => s.OpenRead("2026/07/b.webp")).Returns(() => new MemoryStream(first));
        _storage.Setup(s => s.OpenRead("2026/07/a.png")).Returns(() => new MemoryStream(second));
        _signer.Setup(s => s.UrlFor(It.IsAny<string>())).Returns((string key) => $"https://api.example.com/assets/{key}?exp=1&sig=s");
        var imageIds = await AddImageJobAsync(("b.webp", AssetFormat.Webp), ("a.png", AssetFormat.Png));
        GenerationRequest? sent = null;
        var bytes = new List<byte[]>();
        _modelServer.Setup(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()))
            .Returns(async (GenerationRequest request, IProgress<int> _, CancellationToken ct) =>
            {
                sent = request;
                foreach (var image in request.Images)
                {
                    await using var content = await image.OpenAsync(ct);
                    using var copy = new MemoryStream();
                    await content.CopyToAsync(copy, ct);
                    bytes.Add(copy.ToArray());
                }

                return Output(("model.glb", AssetFormat.Glb));
            });

        (await HandleAsync()).ShouldBe(JobStatus.Completed);

        sent.ShouldNotBeNull();
        sent.Prompt.ShouldBe(string.Empty);
        sent.Images.Select(i => (i.AssetId, i.Format, i.Url.ToString())).ShouldBe([
            (imageIds[0], AssetFormat.Webp, "https://api.example.com/assets/2026/07/b.webp?exp=1&sig=s"),
            (imageIds[1], AssetFormat.Png, "https://api.example.com/assets/2026/07/a.png?exp=1&sig=s")]);
        bytes.ShouldBe([first, second]);
        sent.TargetPolycount.ShouldBe(5000);
        sent.Topology.ShouldBe(MeshTopology.Quad);
    }

    [Fact]
    public async Task AJobWhoseImageWasDeleted_FailsWithTheReason_WithoutCallingTheModelServer()
    {
        var imageIds = await AddImageJobAsync(("a.png", AssetFormat.Png));
        await using (var db = _database.CreateContext())
        {
            await db.Assets.Where(a => a.Id == imageIds[0]).ExecuteDeleteAsync();
        }

        var status = await HandleAsync();

        status.ShouldBe(JobStatus.Failed);
        await using var check = _database.CreateContext();
        (await check.GenerationJobs.SingleAsync(j => j.Id == _jobId)).Error.ShouldBe("An input image of this job was deleted before the generation started.");
        _modelServer.Verify(m => m.GenerateAsync(It.IsAny<GenerationRequest>(), It.IsAny<IProgress<int>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>Uploads of the job's owner and a started image-only job of theirs (5000 quads) made from them, which becomes the job under test.</summary>
    private async Task<Guid[]> AddImageJobAsync(params (string Key, AssetFormat Format)[] images)
    {
        await using var db = _database.CreateContext();
        var userId = await db.GenerationJobs.Where(j => j.Id == _jobId).Select(j => j.UserId).SingleAsync();
        var assets = images.Select(i => new Asset(userId, null, i.Format, i.Key, 3, new string('a', 64), $"2026/07/{i.Key}", Now.UtcDateTime)).ToList();
        db.Assets.AddRange(assets);
        var job = new GenerationJob(
            userId, null, null, [AssetFormat.Glb], 7, GenerationQuality.Draft, null, Now.UtcDateTime,
            imageAssetIds: assets.Select(a => a.Id), targetPolycount: 5000, topology: MeshTopology.Quad);
        job.Start(Worker, Now.UtcDateTime, TimeSpan.FromMinutes(1));
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        _jobId = job.Id;
        return [.. assets.Select(a => a.Id)];
    }

    private async Task<JobStatus> StatusAsync()
    {
        await using var db = _database.CreateContext();
        return await db.GenerationJobs.Where(j => j.Id == _jobId).Select(j => j.Status).SingleAsync();
    }

    private async Task<JobStatus> HandleAsync(CancellationToken cancellationToken = default, string worker = Worker, FakeTimeProvider? clock = null, int maxAttempts = 3)
    {
        await using var db = _database.CreateContext();
        clock ??= new FakeTimeProvider(Now.AddSeconds(2));
        var notifications = new JobNotifications(_identity.Object, Mock.Of<IEmailSender>(), Mock.Of<IEmailTemplates>(), Options.Create(new AppOptions()));
        var thumbnails = new JobThumbnails(_renderer.Object, _storage.Object, NullLogger<JobThumbnails>.Instance);
        var handler = new ProcessGenerationJobCommandHandler(db, _modelServer.Object, _builtIn.Object, _storage.Object, _signer.Object, _events.Object, notifications, thumbnails, JobFinishingMediator.For(db).Object, clock, NullLogger<ProcessGenerationJobCommandHandler>.Instance);
        return await handler.Handle(new ProcessGenerationJobCommand(_jobId, worker, new Progress<int>(), maxAttempts), cancellationToken);
    }

    private static GenerationOutput Output(params (string Name, AssetFormat Format)[] files) =>
        new([.. files.Select(f => new GeneratedFile(f.Name, f.Format, () => new MemoryStream(new byte[12])))]);
}
