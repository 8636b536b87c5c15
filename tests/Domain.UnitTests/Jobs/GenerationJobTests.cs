using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Domain.UnitTests.Jobs;

/// <summary>What a test does to a job; the transition table is written in these.</summary>
public enum JobAction
{
    Start,
    Complete,
    Fail,
    Cancel,
    ReturnToQueue,
}

public class GenerationJobTests
{
    private const string Worker = "worker-1";
    private const string OtherWorker = "worker-2";
    private const string Prompt = "A small stone castle";

    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Started = new(2026, 1, 1, 12, 1, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = new(2026, 1, 1, 12, 2, 30, DateTimeKind.Utc);
    private static readonly DateTime Finished = new(2026, 1, 1, 12, 3, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly Guid ChatId = Guid.Parse("0197a1b2-0000-7000-8000-000000000002");

    private static GenerationJob NewJob(IEnumerable<AssetFormat>? formats = null) =>
        new(UserId, Prompt, "blurry", formats, 42, GenerationQuality.Standard, ChatId, Created);

    private static GenerationJob RunningJob()
    {
        var job = NewJob();
        job.Start(Worker, Started, Lease);
        return job;
    }

    /// <summary>A job brought to <paramref name="status"/> the ordinary way; finished ones were started first.</summary>
    private static GenerationJob JobIn(JobStatus status)
    {
        var job = NewJob();
        if (status == JobStatus.Queued)
        {
            return job;
        }

        job.Start(Worker, Started, Lease);
        switch (status)
        {
            case JobStatus.Completed:
                job.Complete(Finished);
                break;
            case JobStatus.Failed:
                job.Fail("boom", Finished);
                break;
            case JobStatus.Canceled:
                job.Cancel(Finished);
                break;
        }

        job.Status.ShouldBe(status);
        return job;
    }

    private static void Apply(GenerationJob job, JobAction action, DateTime now)
    {
        switch (action)
        {
            case JobAction.Start:
                job.Start(Worker, now, Lease);
                break;
            case JobAction.Complete:
                job.Complete(now);
                break;
            case JobAction.Fail:
                job.Fail("boom", now);
                break;
            case JobAction.Cancel:
                job.Cancel(now);
                break;
            case JobAction.ReturnToQueue:
                job.ReturnToQueue(now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    // ---- construction ----

    [Fact]
    public void RetryOrFail_WithStartsLeft_PutsTheJobBackInTheQueue()
    {
        var job = RunningJob();

        job.RetryOrFail(maxAttempts: 2, "The model server is unavailable.", Later);

        (job.Status, job.Attempts, job.Error, job.StartedAt, job.LeaseOwner, job.UpdatedAt)
            .ShouldBe((JobStatus.Queued, 1, (string?)null, (DateTime?)null, (string?)null, Later));
    }

    [Fact]
    public void RetryOrFail_OnTheLastStart_FailsTheJobWithTheReason()
    {
        var job = RunningJob();
        job.ReturnToQueue(Later);
        job.Start(Worker, Later, Lease);

        job.RetryOrFail(maxAttempts: 2, "The model server is unavailable.", Finished);

        (job.Status, job.Attempts, job.Error, job.CompletedAt).ShouldBe((JobStatus.Failed, 2, "The model server is unavailable.", (DateTime?)Finished));
    }

    [Fact]
    public void Constructor_SetsEverythingAndStartsQueued()
    {
        var job = new GenerationJob(UserId, Prompt, "blurry", [AssetFormat.Obj, AssetFormat.Ply], 42, GenerationQuality.Draft, ChatId, Created);

        job.Id.ShouldNotBe(Guid.Empty);
        job.Id.Version.ShouldBe(7);
        job.UserId.ShouldBe(UserId);
        job.ChatId.ShouldBe(ChatId);
        job.Prompt.ShouldBe(Prompt);
        job.NegativePrompt.ShouldBe("blurry");
        job.Title.ShouldBeNull();
        job.Formats.ShouldBe([AssetFormat.Obj, AssetFormat.Ply]);
        job.Seed.ShouldBe(42);
        job.Quality.ShouldBe(GenerationQuality.Draft);
        job.Status.ShouldBe(JobStatus.Queued);
        job.IsFinished.ShouldBeFalse();
        job.Progress.ShouldBe(0);
        job.Error.ShouldBeNull();
        job.CreatedAt.ShouldBe(Created);
        job.UpdatedAt.ShouldBe(Created);
        job.StartedAt.ShouldBeNull();
        job.CompletedAt.ShouldBeNull();
        job.DurationMs.ShouldBeNull();
        job.Attempts.ShouldBe(0);
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
    }

    [Fact]
    public void Constructor_WithoutChat_LeavesChatIdNull()
    {
        var job = new GenerationJob(UserId, Prompt, null, null, 0, GenerationQuality.Standard, null, Created);

        job.ChatId.ShouldBeNull();
    }

    [Fact]
    public void Constructor_WhenUserIdEmpty_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => new GenerationJob(Guid.Empty, Prompt, null, null, 0, GenerationQuality.Standard, null, Created));

        ex.ParamName.ShouldBe("userId");
    }

    // ---- prompt ----

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("  abc  ", "abc")]
    [InlineData("\tA small stone castle\n", "A small stone castle")]
    public void Constructor_TrimsPrompt(string prompt, string expected)
    {
        var job = new GenerationJob(UserId, prompt, null, null, 0, GenerationQuality.Standard, null, Created);

        job.Prompt.ShouldBe(expected);
    }

    [Fact]
    public void Constructor_AcceptsPromptOfMaxLength()
    {
        var prompt = new string('p', GenerationJob.PromptMaxLength);

        var job = new GenerationJob(UserId, prompt, null, null, 0, GenerationQuality.Standard, null, Created);

        job.Prompt.ShouldBe(prompt);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("  ab  ")]
    public void Constructor_WhenPromptShorterThanThreeCharacters_ThrowsArgumentException(string prompt)
    {
        var ex = Should.Throw<ArgumentException>(() => new GenerationJob(UserId, prompt, null, null, 0, GenerationQuality.Standard, null, Created));

        ex.ParamName.ShouldBe("prompt");
        ex.Message.ShouldStartWith("A prompt has at least 3 characters.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenPromptBlank_ThrowsArgumentException(string? prompt)
    {
        var ex = Should.Throw<ArgumentException>(() => new GenerationJob(UserId, prompt!, null, null, 0, GenerationQuality.Standard, null, Created));

        ex.ParamName.ShouldBe("prompt");
        ex.Message.ShouldStartWith("prompt must not be empty.");
    }

    [Fact]
    public void Constructor_WhenPromptTooLong_ThrowsArgumentException()
    {
        var prompt = new string('p', GenerationJob.PromptMaxLength + 1);

        var ex = Should.Throw<ArgumentException>(() => new GenerationJob(UserId, prompt, null, null, 0, GenerationQuality.Standard, null, Created));

        ex.ParamName.ShouldBe("prompt");
        ex.Message.ShouldStartWith("prompt must be at most 1000 characters.");
    }

    // ---- negative prompt ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenNegativePromptBlank_StoresNull(string? negativePrompt)
    {
        var job = new GenerationJob(UserId, Prompt, negativePrompt, null, 0, GenerationQuality.Standard, null, Created);

        job.NegativePrompt.ShouldBeNull();
    }

    [Fact]
    public void Constructor_TrimsNegativePrompt()
    {
        var job = new GenerationJob(UserId, Prompt, "  blurry ", null, 0, GenerationQuality.Standard, null, Created);

        job.NegativePrompt.ShouldBe("blurry");
    }

    [Fact]
    public void Constructor_AcceptsShortNegativePrompt()
    {
        var job = new GenerationJob(UserId, Prompt, "x", null, 0, GenerationQuality.Standard, null, Created);

        job.NegativePrompt.ShouldBe("x");
    }

    [Fact]
    public void Constructor_AcceptsNegativePromptOfMaxLength()
    {
        var negative = new string('n', GenerationJob.PromptMaxLength);

        var job = new GenerationJob(UserId, Prompt, negative, null, 0, GenerationQuality.Standard, null, Created);

        job.NegativePrompt.ShouldBe(negative);
    }

    [Fact]
    public void Constructor_WhenNegativePromptTooLong_ThrowsArgumentException()
    {
        var negative = new string('n', GenerationJob.PromptMaxLength + 1);

        var ex = Should.Throw<ArgumentException>(() => new GenerationJob(UserId, Prompt, negative, null, 0, GenerationQuality.Standard, null, Created));

        ex.ParamName.ShouldBe("negativePrompt");
    }

    // ---- formats ----

    [Fact]
    public void Constructor_WhenFormatsNull_DefaultsToGlb()
    {
        var job = NewJob(formats: null);

        job.Formats.ShouldBe([AssetFormat.Glb]);
    }

    [Fact]
    public void Constructor_WhenFormatsEmpty_DefaultsToGlb()
    {
        var job = NewJob(formats: []);

        job.Formats.ShouldBe([AssetFormat.Glb]);
    }

    [Theory]
    [InlineData(AssetFormat.Glb)]
    [InlineData(AssetFormat.Obj)]
    [InlineData(AssetFormat.Ply)]
    [InlineData(AssetFormat.Stl)]
    public void Constructor_AcceptsEachGeneratableFormat(AssetFormat format)
    {
        var job = NewJob([format]);

        job.Formats.ShouldBe([format]);
    }

    [Fact]
    public void Constructor_AcceptsAllGeneratableFormatsTogetherInGivenOrder()
    {
        var job = NewJob([AssetFormat.Ply, AssetFormat.Glb, AssetFormat.Obj]);

        job.Formats.ShouldBe([AssetFormat.Ply, AssetFormat.Glb, AssetFormat.Obj]);
    }

    [Fact]
    public void Constructor_RemovesDuplicateFormatsKeepingFirstOccurrenceOrder()
    {
        var job = NewJob([AssetFormat.Obj, AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Glb]);

        job.Formats.ShouldBe([AssetFormat.Obj, AssetFormat.Glb]);
    }

    [Theory]
    [InlineData(AssetFormat.Mtl)]
    [InlineData(AssetFormat.Png)]
    [InlineData(AssetFormat.Jpg)]
    [InlineData(AssetFormat.Webp)]
    [InlineData((AssetFormat)99)]
    public void Constructor_WhenFormatNotGeneratable_ThrowsArgumentException(AssetFormat format)
    {
        var ex = Should.Throw<ArgumentException>(() => NewJob([AssetFormat.Glb, format]));

        ex.ParamName.ShouldBe("formats");
        ex.Message.ShouldStartWith("A job can generate glb, obj, ply and stl only.");
    }

    [Fact]
    public void Constructor_DoesNotShareFormatListWithTheCaller()
    {
        var formats = new List<AssetFormat> { AssetFormat.Obj };

        var job = NewJob(formats);
        formats.Add(AssetFormat.Ply);

        job.Formats.ShouldBe([AssetFormat.Obj]);
    }

    // ---- images, target polycount, topology ----

    private static readonly Guid[] Images = [.. Enumerable.Range(1, 5).Select(i => new Guid(i, 0, 0, new byte[8]))];

    private static GenerationJob ImageJob(string? prompt, IEnumerable<Guid>? images, int? targetPolycount = null, MeshTopology topology = MeshTopology.Triangle) =>
        new(UserId, prompt, null, null, 0, GenerationQuality.Standard, null, Created, imageAssetIds: images, targetPolycount: targetPolycount, topology: topology);

    [Fact]
    public void Constructor_ByDefault_HasNoImagesNoTargetAndTriangles()
    {
        var job = NewJob();

        job.ImageAssetIds.ShouldBeEmpty();
        job.TargetPolycount.ShouldBeNull();
        job.Topology.ShouldBe(MeshTopology.Triangle);
        job.Description.ShouldBe(Prompt);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Constructor_KeepsOneToFourImagesInTheGivenOrder(int count)
    {
        var images = Images.Take(count).Reverse().ToList();

        var job = ImageJob(Prompt, images);

        job.ImageAssetIds.ShouldBe(images);
        job.Prompt.ShouldBe(Prompt);
    }

    [Fact]
    public void Constructor_WhenMoreThanFourImages_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => ImageJob(Prompt, Images));

        ex.ParamName.ShouldBe("imageAssetIds");
        ex.Message.ShouldStartWith("A job models from at most 4 images.");
    }

    [Fact]
    public void Constructor_WhenAnImageIsGivenTwice_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => ImageJob(Prompt, [Images[0], Images[1], Images[0]]));

        ex.ParamName.ShouldBe("imageAssetIds");
        ex.Message.ShouldStartWith("Each image is a different asset.");
    }

    [Fact]
    public void Constructor_WhenAnImageIdIsEmpty_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => ImageJob(Prompt, [Guid.Empty]));

        ex.ParamName.ShouldBe("imageAssetIds");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WithImagesAndNoPrompt_KeepsAnEmptyPrompt(string? prompt)
    {
        var job = ImageJob(prompt, [Images[0]]);

        job.Prompt.ShouldBe(string.Empty);
        job.ImageAssetIds.ShouldBe([Images[0]]);
    }

    [Fact]
    public void Constructor_WithImagesAndATooShortPrompt_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => ImageJob("ab", [Images[0]]));

        ex.ParamName.ShouldBe("prompt");
        ex.Message.ShouldStartWith("A prompt has at least 3 characters.");
    }

    [Fact]
    public void Constructor_WithAnEmptyImageListAndNoPrompt_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => ImageJob(null, []));

        ex.ParamName.ShouldBe("prompt");
    }

    [Fact]
    public void Constructor_DoesNotShareTheImageListWithTheCaller()
    {
        var images = new List<Guid> { Images[0] };

        var job = ImageJob(null, images);
        images.Add(Images[1]);

        job.ImageAssetIds.ShouldBe([Images[0]]);
    }

    [Theory]
    [InlineData(null, "A small stone castle")]
    [InlineData(1, "(image)")]
    [InlineData(3, "(3 images)")]
    public void Description_IsThePrompt_OrSaysHowManyImagesAnImageOnlyJobHas(int? imageCount, string expected)
    {
        var job = imageCount is { } count ? ImageJob(null, Images.Take(count)) : NewJob();

        job.Description.ShouldBe(expected);
    }

    [Fact]
    public void Description_OfAJobWithAPromptAndImages_IsThePrompt()
    {
        ImageJob(Prompt, Images.Take(2)).Description.ShouldBe(Prompt);
    }

    [Theory]
    [InlineData(GenerationJob.MinTargetPolycount)]
    [InlineData(20_000)]
    [InlineData(GenerationJob.MaxTargetPolycount)]
    public void Constructor_KeepsATargetPolycountWithinItsBounds(int target)
    {
        ImageJob(Prompt, null, target).TargetPolycount.ShouldBe(target);
    }

    [Theory]
    [InlineData(GenerationJob.MinTargetPolycount - 1)]
    [InlineData(GenerationJob.MaxTargetPolycount + 1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_WhenTheTargetPolycountIsOutOfBounds_ThrowsArgumentOutOfRangeException(int target)
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => ImageJob(Prompt, null, target));

        ex.ParamName.ShouldBe("targetPolycount");
        ex.Message.ShouldStartWith("A target polycount is from 100 to 300000.");
    }

    [Fact]
    public void Constructor_KeepsQuadTopology()
    {
        ImageJob(Prompt, null, topology: MeshTopology.Quad).Topology.ShouldBe(MeshTopology.Quad);
    }

    [Fact]
    public void Constructor_WhenTheTopologyIsUnknown_ThrowsArgumentOutOfRangeException()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => ImageJob(Prompt, null, topology: (MeshTopology)7));

        ex.ParamName.ShouldBe("topology");
    }

    // ---- seed ----

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    public void Constructor_AcceptsSeedThatIsNotNegative(long seed)
    {
        var job = new GenerationJob(UserId, Prompt, null, null, seed, GenerationQuality.Standard, null, Created);

        job.Seed.ShouldBe(seed);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void Constructor_WhenSeedNegative_ThrowsArgumentOutOfRangeException(long seed)
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => new GenerationJob(UserId, Prompt, null, null, seed, GenerationQuality.Standard, null, Created));

        ex.ParamName.ShouldBe("seed");
        ex.Message.ShouldStartWith("A seed is not negative.");
    }

    // ---- the transition table ----

    [Theory]
    [InlineData(JobStatus.Queued, JobAction.Start, JobStatus.Running)]
    [InlineData(JobStatus.Queued, JobAction.Fail, JobStatus.Failed)]
    [InlineData(JobStatus.Queued, JobAction.Cancel, JobStatus.Canceled)]
    [InlineData(JobStatus.Running, JobAction.Complete, JobStatus.Completed)]
    [InlineData(JobStatus.Running, JobAction.Fail, JobStatus.Failed)]
    [InlineData(JobStatus.Running, JobAction.Cancel, JobStatus.Canceled)]
    [InlineData(JobStatus.Running, JobAction.ReturnToQueue, JobStatus.Queued)]
    public void Transition_WhenAllowed_MovesToNewStatus(JobStatus from, JobAction action, JobStatus expected)
    {
        var job = JobIn(from);
        var now = new DateTime(2026, 1, 1, 13, 0, 0, DateTimeKind.Utc);

        Apply(job, action, now);

        job.Status.ShouldBe(expected);
        job.UpdatedAt.ShouldBe(now);
        job.IsFinished.ShouldBe(expected is JobStatus.Completed or JobStatus.Failed or JobStatus.Canceled);
    }

    [Theory]
    [InlineData(JobStatus.Queued, JobAction.Complete)]
    [InlineData(JobStatus.Queued, JobAction.ReturnToQueue)]
    [InlineData(JobStatus.Running, JobAction.Start)]
    [InlineData(JobStatus.Completed, JobAction.Start)]
    [InlineData(JobStatus.Completed, JobAction.Complete)]
    [InlineData(JobStatus.Completed, JobAction.Fail)]
    [InlineData(JobStatus.Completed, JobAction.Cancel)]
    [InlineData(JobStatus.Completed, JobAction.ReturnToQueue)]
    [InlineData(JobStatus.Failed, JobAction.Start)]
    [InlineData(JobStatus.Failed, JobAction.Complete)]
    [InlineData(JobStatus.Failed, JobAction.Fail)]
    [InlineData(JobStatus.Failed, JobAction.Cancel)]
    [InlineData(JobStatus.Failed, JobAction.ReturnToQueue)]
    [InlineData(JobStatus.Canceled, JobAction.Start)]
    [InlineData(JobStatus.Canceled, JobAction.Complete)]
    [InlineData(JobStatus.Canceled, JobAction.Fail)]
    [InlineData(JobStatus.Canceled, JobAction.Cancel)]
    [InlineData(JobStatus.Canceled, JobAction.ReturnToQueue)]
    public void Transition_WhenForbidden_ThrowsDomainExceptionAndChangesNothing(JobStatus from, JobAction action)
    {
        var job = JobIn(from);
        var before = Snapshot.Of(job);

        _ = Should.Throw<DomainException>(() => Apply(job, action, new DateTime(2026, 1, 1, 13, 0, 0, DateTimeKind.Utc)));

        Snapshot.Of(job).ShouldBe(before);
    }

    [Theory]
    [InlineData(JobStatus.Running, "Only a queued job can start; this one is running.")]
    [InlineData(JobStatus.Completed, "Only a queued job can start; this one is completed.")]
    [InlineData(JobStatus.Failed, "Only a queued job can start; this one is failed.")]
    [InlineData(JobStatus.Canceled, "Only a queued job can start; this one is canceled.")]
    public void Start_WhenNotQueued_ThrowsDomainExceptionNamingTheStatus(JobStatus from, string message)
    {
        var job = JobIn(from);

        var ex = Should.Throw<DomainException>(() => job.Start(OtherWorker, Later, Lease));

        ex.Message.ShouldBe(message);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void Complete_WhenNotRunning_ThrowsDomainException(JobStatus from)
    {
        var job = JobIn(from);

        var ex = Should.Throw<DomainException>(() => job.Complete(Later));

        ex.Message.ShouldBe("Only a running job can complete.");
    }

    [Theory]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void Fail_WhenJobFinished_ThrowsDomainException(JobStatus from)
    {
        var job = JobIn(from);

        var ex = Should.Throw<DomainException>(() => job.Fail("late error", Later));

        ex.Message.ShouldBe("The job has already finished.");
    }

    [Theory]
    [InlineData(JobStatus.Completed, "The job has already finished (completed) and cannot be canceled.")]
    [InlineData(JobStatus.Failed, "The job has already finished (failed) and cannot be canceled.")]
    [InlineData(JobStatus.Canceled, "The job has already finished (canceled) and cannot be canceled.")]
    public void Cancel_WhenJobFinished_ThrowsDomainExceptionNamingTheStatus(JobStatus from, string message)
    {
        var job = JobIn(from);

        var ex = Should.Throw<DomainException>(() => job.Cancel(Later));

        ex.Message.ShouldBe(message);
    }

    [Fact]
    public void Cancel_WhenJobCompleted_ThrowsDomainException()
    {
        var job = JobIn(JobStatus.Completed);

        _ = Should.Throw<DomainException>(() => job.Cancel(Later));

        job.Status.ShouldBe(JobStatus.Completed);
        job.CompletedAt.ShouldBe(Finished);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void ReturnToQueue_WhenNotRunning_ThrowsDomainException(JobStatus from)
    {
        var job = JobIn(from);

        var ex = Should.Throw<DomainException>(() => job.ReturnToQueue(Later));

        ex.Message.ShouldBe("Only a running job can go back to the queue.");
    }

    [Theory]
    [InlineData(JobStatus.Queued, false)]
    [InlineData(JobStatus.Running, false)]
    [InlineData(JobStatus.Completed, true)]
    [InlineData(JobStatus.Failed, true)]
    [InlineData(JobStatus.Canceled, true)]
    public void IsFinished_IsTrueOnlyForTerminalStatuses(JobStatus status, bool finished)
    {
        var job = JobIn(status);

        job.IsFinished.ShouldBe(finished);
    }

    // ---- Start ----

    [Fact]
    public void Start_TakesLeaseAndRecordsStart()
    {
        var job = NewJob();

        job.Start(Worker, Started, Lease);

        job.Status.ShouldBe(JobStatus.Running);
        job.LeaseOwner.ShouldBe(Worker);
        job.LeaseExpiresAt.ShouldBe(new DateTime(2026, 1, 1, 12, 6, 0, DateTimeKind.Utc));
        job.StartedAt.ShouldBe(Started);
        job.UpdatedAt.ShouldBe(Started);
        job.Progress.ShouldBe(0);
        job.Attempts.ShouldBe(1);
        job.CompletedAt.ShouldBeNull();
        job.DurationMs.ShouldBeNull();
        job.IsFinished.ShouldBeFalse();
        job.CreatedAt.ShouldBe(Created);
    }

    [Fact]
    public void Start_TrimsWorkerId()
    {
        var job = NewJob();

        job.Start("  worker-1 ", Started, Lease);

        job.LeaseOwner.ShouldBe(Worker);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Start_WhenWorkerIdBlank_ThrowsAndStaysQueued(string? workerId)
    {
        var job = NewJob();

        var ex = Should.Throw<ArgumentException>(() => job.Start(workerId!, Started, Lease));

        ex.ParamName.ShouldBe("workerId");
        AssertStillFreshlyQueued(job);
    }

    [Fact]
    public void Start_WhenWorkerIdTooLong_ThrowsAndStaysQueued()
    {
        var job = NewJob();

        var ex = Should.Throw<ArgumentException>(() => job.Start(new string('w', 101), Started, Lease));

        ex.ParamName.ShouldBe("workerId");
        AssertStillFreshlyQueued(job);
    }

    [Fact]
    public void Start_AcceptsWorkerIdOf100Characters()
    {
        var job = NewJob();
        var workerId = new string('w', 100);

        job.Start(workerId, Started, Lease);

        job.LeaseOwner.ShouldBe(workerId);
    }

    [Fact]
    public void Start_AfterReturnToQueue_CountsAnotherAttemptAndRestartsTheClock()
    {
        var job = RunningJob();
        job.ReportProgress(60, Later);
        job.ReturnToQueue(Later);
        var restarted = new DateTime(2026, 1, 1, 12, 10, 0, DateTimeKind.Utc);

        job.Start(OtherWorker, restarted, Lease);

        job.Status.ShouldBe(JobStatus.Running);
        job.Attempts.ShouldBe(2);
        job.StartedAt.ShouldBe(restarted);
        job.LeaseOwner.ShouldBe(OtherWorker);
        job.LeaseExpiresAt.ShouldBe(restarted + Lease);
        job.Progress.ShouldBe(0);
        job.UpdatedAt.ShouldBe(restarted);
    }

    // ---- RenewLease ----

    [Fact]
    public void RenewLease_ByHolder_ExtendsLeaseFromNow()
    {
        var job = RunningJob();

        job.RenewLease(Worker, Later, TimeSpan.FromMinutes(10));

        job.LeaseExpiresAt.ShouldBe(new DateTime(2026, 1, 1, 12, 12, 30, DateTimeKind.Utc));
        job.LeaseOwner.ShouldBe(Worker);
        job.UpdatedAt.ShouldBe(Later);
        job.Status.ShouldBe(JobStatus.Running);
        job.StartedAt.ShouldBe(Started);
        job.Attempts.ShouldBe(1);
        job.Progress.ShouldBe(0);
    }

    [Fact]
    public void RenewLease_ByAnotherWorker_ThrowsDomainExceptionAndKeepsLease()
    {
        var job = RunningJob();

        var ex = Should.Throw<DomainException>(() => job.RenewLease(OtherWorker, Later, Lease));

        ex.Message.ShouldBe("The job is not held by this worker.");
        job.LeaseOwner.ShouldBe(Worker);
        job.LeaseExpiresAt.ShouldBe(Started + Lease);
        job.UpdatedAt.ShouldBe(Started);
    }

    [Fact]
    public void RenewLease_WithDifferentlyCasedWorkerId_ThrowsDomainException()
    {
        var job = RunningJob();

        _ = Should.Throw<DomainException>(() => job.RenewLease("WORKER-1", Later, Lease));
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void RenewLease_WhenJobNotRunning_ThrowsDomainException(JobStatus status)
    {
        var job = JobIn(status);
        var before = Snapshot.Of(job);

        var ex = Should.Throw<DomainException>(() => job.RenewLease(Worker, Later, Lease));

        ex.Message.ShouldBe("The job is not held by this worker.");
        Snapshot.Of(job).ShouldBe(before);
    }

    [Fact]
    public void RenewLease_ByFormerHolderAfterJobWasRequeuedAndRestarted_ThrowsDomainException()
    {
        var job = RunningJob();
        job.ReturnToQueue(Later);
        job.Start(OtherWorker, Later, Lease);

        _ = Should.Throw<DomainException>(() => job.RenewLease(Worker, Finished, Lease));

        job.LeaseOwner.ShouldBe(OtherWorker);
        job.LeaseExpiresAt.ShouldBe(Later + Lease);
    }

    // ---- ReportProgress ----

    [Fact]
    public void ReportProgress_WhenHigher_SetsProgressAndUpdatedAt()
    {
        var job = RunningJob();

        job.ReportProgress(40, Later);

        job.Progress.ShouldBe(40);
        job.UpdatedAt.ShouldBe(Later);
        job.Status.ShouldBe(JobStatus.Running);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(100)]
    public void ReportProgress_AcceptsPercentagesUpTo100(int progress)
    {
        var job = RunningJob();

        job.ReportProgress(progress, Later);

        job.Progress.ShouldBe(progress);
        job.Status.ShouldBe(JobStatus.Running);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    public void ReportProgress_WhenLowerOrEqual_IsIgnored(int lateReport)
    {
        var job = RunningJob();
        job.ReportProgress(40, Later);

        job.ReportProgress(lateReport, Finished);

        job.Progress.ShouldBe(40);
        job.UpdatedAt.ShouldBe(Later);
    }

    [Fact]
    public void ReportProgress_OfZeroOnFreshStart_ChangesNothing()
    {
        var job = RunningJob();

        job.ReportProgress(0, Later);

        job.Progress.ShouldBe(0);
        job.UpdatedAt.ShouldBe(Started);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void ReportProgress_WhenOutOfRange_ThrowsArgumentOutOfRangeException(int progress)
    {
        var job = RunningJob();

        var ex = Should.Throw<ArgumentOutOfRangeException>(() => job.ReportProgress(progress, Later));

        ex.ParamName.ShouldBe("progress");
        job.Progress.ShouldBe(0);
        job.UpdatedAt.ShouldBe(Started);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void ReportProgress_WhenJobNotRunning_ThrowsDomainException(JobStatus status)
    {
        var job = JobIn(status);
        var before = Snapshot.Of(job);

        var ex = Should.Throw<DomainException>(() => job.ReportProgress(50, Later));

        ex.Message.ShouldBe("Only a running job reports progress.");
        Snapshot.Of(job).ShouldBe(before);
    }

    // ---- Complete ----

    [Fact]
    public void Complete_FinishesWithFullProgressDurationAndNoLease()
    {
        var job = RunningJob();
        job.ReportProgress(70, Later);

        job.Complete(Finished);

        job.Status.ShouldBe(JobStatus.Completed);
        job.IsFinished.ShouldBeTrue();
        job.Progress.ShouldBe(100);
        job.CompletedAt.ShouldBe(Finished);
        job.DurationMs.ShouldBe(120_000);
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
        job.UpdatedAt.ShouldBe(Finished);
        job.StartedAt.ShouldBe(Started);
        job.Error.ShouldBeNull();
        job.Attempts.ShouldBe(1);
    }

    [Fact]
    public void Complete_MeasuresDurationInMilliseconds()
    {
        var job = RunningJob();

        job.Complete(Started.AddMilliseconds(1_234));

        job.DurationMs.ShouldBe(1_234);
    }

    // ---- Fail ----

    [Fact]
    public void Fail_WhenRunning_RecordsErrorDurationAndKeepsProgress()
    {
        var job = RunningJob();
        job.ReportProgress(30, Later);

        job.Fail("  The model server crashed.  ", Finished);

        job.Status.ShouldBe(JobStatus.Failed);
        job.IsFinished.ShouldBeTrue();
        job.Error.ShouldBe("The model server crashed.");
        job.Progress.ShouldBe(30);
        job.CompletedAt.ShouldBe(Finished);
        job.DurationMs.ShouldBe(120_000);
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
        job.UpdatedAt.ShouldBe(Finished);
    }

    [Fact]
    public void Fail_WhenQueued_FinishesWithoutDuration()
    {
        var job = NewJob();

        job.Fail("Rejected by the moderation filter.", Finished);

        job.Status.ShouldBe(JobStatus.Failed);
        job.Error.ShouldBe("Rejected by the moderation filter.");
        job.CompletedAt.ShouldBe(Finished);
        job.StartedAt.ShouldBeNull();
        job.DurationMs.ShouldBeNull();
        job.Attempts.ShouldBe(0);
        job.Progress.ShouldBe(0);
        job.UpdatedAt.ShouldBe(Finished);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Fail_WhenErrorBlank_UsesGenericMessage(string? error)
    {
        var job = RunningJob();

        job.Fail(error!, Finished);

        job.Error.ShouldBe("Generation failed.");
        job.Status.ShouldBe(JobStatus.Failed);
    }

    [Fact]
    public void Fail_KeepsErrorOfMaxLength()
    {
        var job = RunningJob();
        var error = new string('e', GenerationJob.ErrorMaxLength);

        job.Fail(error, Finished);

        job.Error.ShouldBe(error);
    }

    [Fact]
    public void Fail_TruncatesLongErrorToMaxLength()
    {
        var job = RunningJob();
        var error = new string('e', GenerationJob.ErrorMaxLength) + "TAIL";

        job.Fail(error, Finished);

        job.Error.ShouldBe(new string('e', GenerationJob.ErrorMaxLength));
        job.Error!.Length.ShouldBe(2000);
    }

    [Fact]
    public void Fail_TrimsBeforeTruncating()
    {
        var job = RunningJob();
        var error = "   " + new string('e', GenerationJob.ErrorMaxLength) + "   ";

        job.Fail(error, Finished);

        job.Error.ShouldBe(new string('e', GenerationJob.ErrorMaxLength));
    }

    // ---- Cancel ----

    [Fact]
    public void Cancel_WhenQueued_FinishesWithoutDuration()
    {
        var job = NewJob();

        job.Cancel(Finished);

        job.Status.ShouldBe(JobStatus.Canceled);
        job.IsFinished.ShouldBeTrue();
        job.CompletedAt.ShouldBe(Finished);
        job.StartedAt.ShouldBeNull();
        job.DurationMs.ShouldBeNull();
        job.Error.ShouldBeNull();
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
        job.UpdatedAt.ShouldBe(Finished);
    }

    [Fact]
    public void Cancel_WhenRunning_ReleasesLeaseAndRecordsDuration()
    {
        var job = RunningJob();
        job.ReportProgress(55, Later);

        job.Cancel(Finished);

        job.Status.ShouldBe(JobStatus.Canceled);
        job.CompletedAt.ShouldBe(Finished);
        job.DurationMs.ShouldBe(120_000);
        job.Progress.ShouldBe(55);
        job.Error.ShouldBeNull();
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
        job.UpdatedAt.ShouldBe(Finished);
    }

    // ---- ReturnToQueue ----

    [Fact]
    public void ReturnToQueue_ResetsRunStateButKeepsAttempts()
    {
        var job = RunningJob();
        job.ReportProgress(80, Later);

        job.ReturnToQueue(Finished);

        job.Status.ShouldBe(JobStatus.Queued);
        job.IsFinished.ShouldBeFalse();
        job.Progress.ShouldBe(0);
        job.StartedAt.ShouldBeNull();
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
        job.CompletedAt.ShouldBeNull();
        job.DurationMs.ShouldBeNull();
        job.Attempts.ShouldBe(1);
        job.UpdatedAt.ShouldBe(Finished);
    }

    [Fact]
    public void Complete_AfterRequeueAndRestart_MeasuresDurationFromLatestStart()
    {
        var job = RunningJob();
        job.ReturnToQueue(Later);
        var restarted = new DateTime(2026, 1, 1, 12, 10, 0, DateTimeKind.Utc);
        job.Start(OtherWorker, restarted, Lease);

        job.Complete(restarted.AddSeconds(30));

        job.DurationMs.ShouldBe(30_000);
        job.Attempts.ShouldBe(2);
    }

    // ---- IsLeaseExpired ----

    [Fact]
    public void IsLeaseExpired_BeforeLeaseEnds_IsFalse()
    {
        var job = RunningJob();

        job.IsLeaseExpired(Started + Lease - TimeSpan.FromTicks(1)).ShouldBeFalse();
    }

    [Fact]
    public void IsLeaseExpired_AtTheMomentLeaseEnds_IsTrue()
    {
        var job = RunningJob();

        job.IsLeaseExpired(Started + Lease).ShouldBeTrue();
    }

    [Fact]
    public void IsLeaseExpired_AfterLeaseEnds_IsTrue()
    {
        var job = RunningJob();

        job.IsLeaseExpired(Started + Lease + TimeSpan.FromMinutes(1)).ShouldBeTrue();
    }

    [Fact]
    public void IsLeaseExpired_AfterRenewal_UsesTheNewExpiry()
    {
        var job = RunningJob();
        job.RenewLease(Worker, Later, Lease);

        job.IsLeaseExpired(Started + Lease).ShouldBeFalse();
        job.IsLeaseExpired(Later + Lease).ShouldBeTrue();
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void IsLeaseExpired_WhenJobNotRunning_IsFalse(JobStatus status)
    {
        var job = JobIn(status);

        job.IsLeaseExpired(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ShouldBeFalse();
    }

    [Fact]
    public void IsLeaseExpired_AfterReturnToQueue_IsFalse()
    {
        var job = RunningJob();
        job.ReturnToQueue(Later);

        job.IsLeaseExpired(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ShouldBeFalse();
    }

    // ---- Rename ----

    [Fact]
    public void Rename_SetsTrimmedTitleAndUpdatedAt()
    {
        var job = NewJob();

        job.Rename("  Castle v2 ", Later);

        job.Title.ShouldBe("Castle v2");
        job.UpdatedAt.ShouldBe(Later);
        job.Status.ShouldBe(JobStatus.Queued);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Rename_WhenTitleBlank_ClearsTitle(string? title)
    {
        var job = NewJob();
        job.Rename("Castle v2", Started);

        job.Rename(title, Later);

        job.Title.ShouldBeNull();
        job.UpdatedAt.ShouldBe(Later);
    }

    [Fact]
    public void Rename_AcceptsTitleOfMaxLength()
    {
        var job = NewJob();
        var title = new string('t', GenerationJob.TitleMaxLength);

        job.Rename(title, Later);

        job.Title.ShouldBe(title);
    }

    [Fact]
    public void Rename_WhenTitleTooLong_ThrowsAndKeepsTitle()
    {
        var job = NewJob();
        job.Rename("Castle v2", Started);

        var ex = Should.Throw<ArgumentException>(() => job.Rename(new string('t', GenerationJob.TitleMaxLength + 1), Later));

        ex.ParamName.ShouldBe("title");
        job.Title.ShouldBe("Castle v2");
        job.UpdatedAt.ShouldBe(Started);
    }

    [Theory]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void Rename_IsAllowedInAnyStatusAndDoesNotChangeIt(JobStatus status)
    {
        var job = JobIn(status);

        job.Rename("Keeper", Later);

        job.Title.ShouldBe("Keeper");
        job.Status.ShouldBe(status);
        job.UpdatedAt.ShouldBe(Later);
    }

    private static void AssertStillFreshlyQueued(GenerationJob job)
    {
        job.Status.ShouldBe(JobStatus.Queued);
        job.LeaseOwner.ShouldBeNull();
        job.LeaseExpiresAt.ShouldBeNull();
        job.StartedAt.ShouldBeNull();
        job.Attempts.ShouldBe(0);
        job.UpdatedAt.ShouldBe(Created);
    }

    /// <summary>Every field a transition may touch, to show a refused one touched none.</summary>
    private sealed record Snapshot(
        JobStatus Status,
        int Progress,
        string? Error,
        DateTime UpdatedAt,
        DateTime? StartedAt,
        DateTime? CompletedAt,
        long? DurationMs,
        int Attempts,
        string? LeaseOwner,
        DateTime? LeaseExpiresAt)
    {
        public static Snapshot Of(GenerationJob job) =>
            new(job.Status, job.Progress, job.Error, job.UpdatedAt, job.StartedAt, job.CompletedAt, job.DurationMs, job.Attempts, job.LeaseOwner, job.LeaseExpiresAt);
    }

    [Fact]
    public void RenewLease_WithTheWorkerIdAsGivenToStart_Succeeds()
    {
        var job = NewJob();
        job.Start(" worker-7 ", Started, Lease);

        job.RenewLease(" worker-7 ", Later, Lease);

        job.LeaseOwner.ShouldBe("worker-7");
        job.LeaseExpiresAt.ShouldBe(Later + Lease);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void StartAndRenewLease_WithALeaseThatIsNotPositive_Throw(int seconds)
    {
        var queued = NewJob();
        Should.Throw<ArgumentOutOfRangeException>(() => queued.Start("worker-1", Started, TimeSpan.FromSeconds(seconds)));
        queued.Status.ShouldBe(JobStatus.Queued);

        var running = RunningJob();
        var expiry = running.LeaseExpiresAt;
        Should.Throw<ArgumentOutOfRangeException>(() => running.RenewLease(running.LeaseOwner!, Later, TimeSpan.FromSeconds(seconds)));
        running.LeaseExpiresAt.ShouldBe(expiry);
    }

    [Fact]
    public void DetachFromChat_ClearsTheChatAndKeepsEverythingElse()
    {
        var job = new GenerationJob(UserId, "a red chair", null, null, 7, GenerationQuality.Standard, ChatId, Created);

        job.DetachFromChat(Later);

        job.ChatId.ShouldBeNull();
        job.UpdatedAt.ShouldBe(Later);
        job.Status.ShouldBe(JobStatus.Queued);
        job.Prompt.ShouldBe("a red chair");
    }

    [Fact]
    public void ChangedAt_FollowsEachUpdate_UntilTheFinish_WhichALaterRenameDoesNotMove()
    {
        var job = NewJob();
        var seen = new List<DateTime> { job.ChangedAt };

        job.Start(Worker, Started, Lease);
        seen.Add(job.ChangedAt);
        job.ReportProgress(50, Later);
        seen.Add(job.ChangedAt);
        job.Complete(Finished);
        seen.Add(job.ChangedAt);
        job.Rename("Castle", Finished.AddMinutes(5));
        seen.Add(job.ChangedAt);

        seen.ShouldBe([Created, Started, Later, Finished, Finished]);
        job.UpdatedAt.ShouldBe(Finished.AddMinutes(5));
    }

    [Fact]
    public void EnsureConvertible_OfACompletedJob_Passes()
    {
        var job = JobIn(JobStatus.Completed);

        Should.NotThrow(job.EnsureConvertible);
    }

    [Theory]
    [InlineData(JobStatus.Queued, "queued")]
    [InlineData(JobStatus.Running, "running")]
    [InlineData(JobStatus.Failed, "failed")]
    [InlineData(JobStatus.Canceled, "canceled")]
    public void EnsureConvertible_OfAJobNotCompleted_ThrowsDomainExceptionNamingItsStatus(JobStatus status, string named)
    {
        var job = JobIn(status);

        Should.Throw<DomainException>(job.EnsureConvertible).Message.ShouldBe($"Only a completed job's model can be converted; this one is {named}.");
    }
}
