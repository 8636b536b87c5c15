using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Jobs;

/// <summary>
/// A generation from a prompt, from images of an object, or both: queued → running → completed | failed | canceled. A running job is held by
/// one worker under a lease; a lease that runs out hands the job back to the queue.
/// </summary>
public class GenerationJob : BaseEntity
{
    public const int PromptMinLength = 3;
    public const int PromptMaxLength = 1000;
    public const int TitleMaxLength = 200;
    public const int ErrorMaxLength = 2000;

    /// <summary>Views of one object a job can model from.</summary>
    public const int MaxImages = 4;

    /// <summary>The bounds of a target polygon (triangle) count.</summary>
    public const int MinTargetPolycount = 100;

    public const int MaxTargetPolycount = 300_000;

    private List<AssetFormat> _formats = [];
    private List<Guid> _imageAssetIds = [];

    private GenerationJob()
    {
        Prompt = string.Empty;
    }

    /// <param name="userId">The owner.</param>
    /// <param name="prompt">What to generate (3 to 1000 characters); may be left out when there are images.</param>
    /// <param name="negativePrompt">What to avoid.</param>
    /// <param name="formats">glb, obj, ply and/or stl; glb when none.</param>
    /// <param name="seed">Makes the result repeatable.</param>
    /// <param name="quality">Draft or standard.</param>
    /// <param name="chatId">The chat the job belongs to, if any.</param>
    /// <param name="now">The time of the request.</param>
    /// <param name="replyInChat">Whether the finished model is posted to the chat as an assistant message.</param>
    /// <param name="testMode">Made with a test API key: always the built-in generator, and free.</param>
    /// <param name="imageAssetIds">Up to four distinct image assets of the owner, views of the object to model, in order.</param>
    /// <param name="targetPolycount">About how many triangles the model should have (100 to 300,000); null leaves it to the generator.</param>
    /// <param name="topology">Triangles, or quads where the generator and format can carry them.</param>
    public GenerationJob(
        Guid userId,
        string? prompt,
        string? negativePrompt,
        IEnumerable<AssetFormat>? formats,
        long seed,
        GenerationQuality quality,
        Guid? chatId,
        DateTime now,
        bool replyInChat = false,
        bool testMode = false,
        IEnumerable<Guid>? imageAssetIds = null,
        int? targetPolycount = null,
        MeshTopology topology = MeshTopology.Triangle)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        _imageAssetIds = imageAssetIds?.ToList() ?? [];
        if (_imageAssetIds.Count > MaxImages)
        {
            throw new ArgumentException($"A job models from at most {MaxImages} images.", nameof(imageAssetIds));
        }

        if (_imageAssetIds.Distinct().Count() != _imageAssetIds.Count || _imageAssetIds.Contains(Guid.Empty))
        {
            throw new ArgumentException("Each image is a different asset.", nameof(imageAssetIds));
        }

        // Images say what to model by themselves: an image-only job keeps an empty prompt.
        if (_imageAssetIds.Count > 0 && string.IsNullOrWhiteSpace(prompt))
        {
            Prompt = string.Empty;
        }
        else
        {
            Prompt = Guard.NotBlank(prompt, nameof(prompt), PromptMaxLength);
            if (Prompt.Length < PromptMinLength)
            {
                throw new ArgumentException($"A prompt has at least {PromptMinLength} characters.", nameof(prompt));
            }
        }

        if (targetPolycount is < MinTargetPolycount or > MaxTargetPolycount)
        {
            throw new ArgumentOutOfRangeException(nameof(targetPolycount), $"A target polycount is from {MinTargetPolycount} to {MaxTargetPolycount}.");
        }

        TargetPolycount = targetPolycount;
        Topology = Enum.IsDefined(topology) ? topology : throw new ArgumentOutOfRangeException(nameof(topology), "A topology is triangle or quad.");

        NegativePrompt = string.IsNullOrWhiteSpace(negativePrompt) ? null : Guard.NotBlank(negativePrompt, nameof(negativePrompt), PromptMaxLength);
        _formats = formats?.Distinct().ToList() ?? [];
        if (_formats.Count == 0)
        {
            _formats.Add(AssetFormat.Glb);
        }

        if (_formats.Any(f => !f.IsGeneratable()))
        {
            throw new ArgumentException("A job can generate glb, obj, ply and stl only.", nameof(formats));
        }

        if (seed < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), "A seed is not negative.");
        }

        Seed = seed;
        Quality = quality;
        ChatId = chatId;
        ReplyInChat = replyInChat && chatId is not null;
        IsTest = testMode;
        Status = JobStatus.Queued;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid UserId { get; private set; }

    public Guid? ChatId { get; private set; }

    /// <summary>The finished model goes to the chat as an assistant message (jobs made through /api/generate).</summary>
    public bool ReplyInChat { get; private set; }

    /// <summary>Made with a test API key: the built-in generator makes it whatever model server is configured, at no cost.</summary>
    public bool IsTest { get; private set; }

    /// <summary>The text prompt; empty for a job that models from its images alone.</summary>
    public string Prompt { get; private set; }

    public string? NegativePrompt { get; private set; }

    /// <summary>The uploaded images the model is made from, in the order given; empty for a text job.</summary>
    public IReadOnlyList<Guid> ImageAssetIds
    {
        get => _imageAssetIds;
        private set => _imageAssetIds = [.. value];
    }

    public int? TargetPolycount { get; private set; }

    public MeshTopology Topology { get; private set; }

    /// <summary>What the job makes, in words for people (chat messages, e-mails): its prompt, or "(image)" / "(2 images)".</summary>
    public string Description => Prompt.Length > 0 ? Prompt
        : ImageAssetIds.Count == 1 ? "(image)" : $"({ImageAssetIds.Count} images)";

    public string? Title { get; private set; }

    public IReadOnlyList<AssetFormat> Formats
    {
        get => _formats;
        private set => _formats = [.. value];
    }

    public long Seed { get; private set; }

    public GenerationQuality Quality { get; private set; }

    public JobStatus Status { get; private set; }

    public int Progress { get; private set; }

    public string? Error { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>Running time from start to finish; null until the job has both.</summary>
    public long? DurationMs { get; private set; }

    /// <summary>How many times a worker has started this job (a lease that ran out counts).</summary>
    public int Attempts { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresAt { get; private set; }

    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Canceled;

    /// <summary>
    /// When the job last changed as its listeners see it: its finish once it has one (a later rename does not move
    /// it), otherwise its latest update. Live event ids are made from it, so they grow with each change.
    /// </summary>
    public DateTime ChangedAt => CompletedAt ?? UpdatedAt;

    public void Start(string workerId, DateTime now, TimeSpan lease)
    {
        if (Status != JobStatus.Queued)
        {
            throw new DomainException($"Only a queued job can start; this one is {Status.ToString().ToLowerInvariant()}.");
        }

        LeaseOwner = Guard.NotBlank(workerId, nameof(workerId), 100);
        LeaseExpiresAt = now + PositiveLease(lease);
        Status = JobStatus.Running;
        StartedAt = now;
        Progress = 0;
        Attempts++;
        UpdatedAt = now;
    }

    public void RenewLease(string workerId, DateTime now, TimeSpan lease)
    {
        EnsureHeldBy(workerId);
        LeaseExpiresAt = now + PositiveLease(lease);
        UpdatedAt = now;
    }

    /// <summary>Progress only moves forward while the job runs; a late, lower report is ignored.</summary>
    public void ReportProgress(int progress, DateTime now)
    {
        if (progress is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(progress), "Progress is a percentage from 0 to 100.");
        }

        if (Status != JobStatus.Running)
        {
            throw new DomainException("Only a running job reports progress.");
        }

        if (progress > Progress)
        {
            Progress = progress;
            UpdatedAt = now;
        }
    }

    public void Complete(DateTime now)
    {
        if (Status != JobStatus.Running)
        {
            throw new DomainException("Only a running job can complete.");
        }

        Progress = 100;
        Finish(JobStatus.Completed, now);
    }

    public void Fail(string error, DateTime now)
    {
        if (IsFinished)
        {
            throw new DomainException("The job has already finished.");
        }

        var message = string.IsNullOrWhiteSpace(error) ? "Generation failed." : error.Trim();
        Error = message.Length > ErrorMaxLength ? message[..ErrorMaxLength] : message;
        Finish(JobStatus.Failed, now);
    }

    /// <summary>A job can be canceled until it finishes; after that the request is a conflict.</summary>
    public void Cancel(DateTime now)
    {
        if (IsFinished)
        {
            throw new DomainException($"The job has already finished ({Status.ToString().ToLowerInvariant()}) and cannot be canceled.");
        }

        Finish(JobStatus.Canceled, now);
    }

    /// <summary>Hands a running job back to the queue: its worker stopped or its lease ran out.</summary>
    public void ReturnToQueue(DateTime now)
    {
        if (Status != JobStatus.Running)
        {
            throw new DomainException("Only a running job can go back to the queue.");
        }

        Status = JobStatus.Queued;
        Progress = 0;
        StartedAt = null;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }

    /// <summary>
    /// A run that ended through no fault of the job (its worker went away, the model server was unavailable): the job
    /// goes back to the queue while it has starts left, and fails with <paramref name="reason"/> after the last one.
    /// </summary>
    public void RetryOrFail(int maxAttempts, string reason, DateTime now)
    {
        if (Attempts >= maxAttempts)
        {
            Fail(reason, now);
        }
        else
        {
            ReturnToQueue(now);
        }
    }

    public bool IsLeaseExpired(DateTime now) => Status == JobStatus.Running && LeaseExpiresAt <= now;

    /// <summary>The job's chat is being deleted; the job and its models stay the user's.</summary>
    public void DetachFromChat(DateTime now)
    {
        ChatId = null;
        ReplyInChat = false;
        UpdatedAt = now;
    }

    public void Rename(string? title, DateTime now)
    {
        Title = string.IsNullOrWhiteSpace(title) ? null : Guard.NotBlank(title, nameof(title), TitleMaxLength);
        UpdatedAt = now;
    }

    /// <summary>Only a completed job has a model to make other formats of.</summary>
    public void EnsureConvertible()
    {
        if (Status != JobStatus.Completed)
        {
            throw new DomainException($"Only a completed job's model can be converted; this one is {Status.ToString().ToLowerInvariant()}.");
        }
    }

    private void EnsureHeldBy(string workerId)
    {
        if (Status != JobStatus.Running || LeaseOwner != workerId?.Trim())
        {
            throw new DomainException("The job is not held by this worker.");
        }
    }

    private static TimeSpan PositiveLease(TimeSpan lease) =>
        lease > TimeSpan.Zero ? lease : throw new ArgumentOutOfRangeException(nameof(lease), "A lease must last some time.");

    private void Finish(JobStatus status, DateTime now)
    {
        Status = status;
        CompletedAt = now;
        DurationMs = StartedAt is { } started ? Math.Max(0, (long)(now - started).TotalMilliseconds) : null;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }
}
