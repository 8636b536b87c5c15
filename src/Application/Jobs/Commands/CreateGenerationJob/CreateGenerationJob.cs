using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Jobs.Queries.GetJob;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Application.Jobs.Commands.CreateGenerationJob;

/// <summary>
/// Queues a generation from a prompt, from 1 to 4 of the caller's images (views of one object), or both, and returns
/// at once. From /api/generate with a chat, the prompt (with the images attached) becomes a user message of that
/// chat, and the finished model an assistant message. A repeated Idempotency-Key returns the first job.
/// </summary>
/// <param name="Prompt">What to generate, 3 to 1000 characters; may be left out when images are given.</param>
/// <param name="ChatId">The caller's chat the job belongs to.</param>
/// <param name="NegativePrompt">What to avoid.</param>
/// <param name="Formats">One to four of glb, obj, ply, stl; glb when left out.</param>
/// <param name="Seed">Makes the result repeatable; random when left out.</param>
/// <param name="Quality">Draft or standard (the default).</param>
/// <param name="ImageAssetIds">1 to 4 distinct png, jpg or webp assets of the caller to model from, in order.</param>
/// <param name="TargetPolycount">About how many triangles the model should have, 100 to 300,000; the generator's choice when left out.</param>
/// <param name="Topology">Triangle (the default) or quad, where the generator and format can carry quads.</param>
public sealed record CreateGenerationJobCommand(
    string? Prompt = null,
    Guid? ChatId = null,
    string? NegativePrompt = null,
    IReadOnlyList<AssetFormat>? Formats = null,
    long? Seed = null,
    GenerationQuality? Quality = null,
    IReadOnlyList<Guid>? ImageAssetIds = null,
    int? TargetPolycount = null,
    MeshTopology? Topology = null) : IRequest<JobCreatedResponse>
{
    /// <summary>The Idempotency-Key header.</summary>
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    /// <summary>True for /api/generate: the chat gets the prompt and, later, the model.</summary>
    [JsonIgnore]
    public bool PostToChat { get; init; }

    /// <summary>Whether the request models from images (an empty list is the same as none).</summary>
    public bool HasImages() => ImageAssetIds is { Count: > 0 };
}

public sealed class CreateGenerationJobCommandValidator : AbstractValidator<CreateGenerationJobCommand>
{
    public CreateGenerationJobCommandValidator()
    {
        // Without images the prompt is required, exactly as before images were an input.
        RuleFor(x => x.Prompt).NotEmpty().When(x => !x.HasImages());
        RuleFor(x => x.Prompt)
            .Must(p => p is null || p.Trim().Length is >= GenerationJob.PromptMinLength and <= GenerationJob.PromptMaxLength)
            .When(x => !x.HasImages() || !string.IsNullOrWhiteSpace(x.Prompt))
            .WithMessage($"Prompt must be {GenerationJob.PromptMinLength} to {GenerationJob.PromptMaxLength} characters.");
        RuleFor(x => x.NegativePrompt).MaximumLength(GenerationJob.PromptMaxLength);
        RuleFor(x => x.Formats)
            .Must(f => f is null || (f.Count is > 0 and <= 4 && f.All(x => Enum.IsDefined(x) && x.IsGeneratable())))
            .WithMessage("Formats are one to four of glb, obj, ply, stl.");
        RuleFor(x => x.ImageAssetIds)
            .Must(ids => ids is null || ids.Count <= GenerationJob.MaxImages)
            .WithMessage($"Give at most {GenerationJob.MaxImages} images (views of one object).")
            .Must(ids => ids is null || (ids.Distinct().Count() == ids.Count && !ids.Contains(Guid.Empty)))
            .WithMessage("Each image is given once.");
        RuleFor(x => x.TargetPolycount)
            .InclusiveBetween(GenerationJob.MinTargetPolycount, GenerationJob.MaxTargetPolycount).When(x => x.TargetPolycount is not null)
            .WithMessage($"Target polycount must be from {GenerationJob.MinTargetPolycount} to {GenerationJob.MaxTargetPolycount}.");
        RuleFor(x => x.Topology).IsInEnum().When(x => x.Topology is not null);
        RuleFor(x => x.Seed).InclusiveBetween(0, uint.MaxValue).When(x => x.Seed is not null);
        RuleFor(x => x.Quality).IsInEnum().When(x => x.Quality is not null);
        RuleFor(x => x.IdempotencyKey).MaximumLength(JobRequestKey.KeyMaxLength).WithName("Idempotency-Key");
    }
}

public sealed class CreateGenerationJobCommandHandler(
    IApplicationDbContext db,
    IUser user,
    IJobEventBus events,
    TimeProvider clock,
    IMediator mediator,
    CreditAccount credits,
    UsageLimits limits,
    IModelServer configuredModelServer,
    [FromKeyedServices(ModelServerKeys.BuiltIn)] IModelServer builtInGenerator)
    : IRequestHandler<CreateGenerationJobCommand, JobCreatedResponse>
{
    /// <summary>How long a caller at the active-job cap is asked to wait before trying again.</summary>
    private static readonly TimeSpan ActiveJobsRetryAfter = TimeSpan.FromSeconds(30);

    public async Task<JobCreatedResponse> Handle(CreateGenerationJobCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var key = string.IsNullOrWhiteSpace(request.IdempotencyKey) ? null : request.IdempotencyKey.Trim();
        if (key is not null && await FindJobForKeyAsync(userId, key, cancellationToken) is { } earlier)
        {
            return new JobCreatedResponse(true, await mediator.Send(new GetJobQuery(earlier), cancellationToken));
        }

        var imageIds = request.ImageAssetIds ?? [];
        if (imageIds.Count > 0)
        {
            await CheckImagesAsync(imageIds, userId, cancellationToken);
        }

        var plan = await credits.PlanOfCallerAsync(user, cancellationToken);
        if (limits.Enabled && await limits.CountActiveJobsAsync(userId, cancellationToken) is var active && active >= plan.MaxActiveJobs)
        {
            throw new TooManyRequestsException(
                $"You have {active} queued or running jobs, the most your plan allows; wait for one to finish or cancel one.", ActiveJobsRetryAfter);
        }

        // The job, its chat message, its key and its credit reservation are saved together or not at all. A save that
        // lost a race for the next ledger entry runs again from a fresh balance.
        GenerationJob job;
        try
        {
            job = await db.RetryOnLedgerRaceAsync(() => CreateAsync(request, userId, key, plan, cancellationToken), cancellationToken);
        }
        catch (ConflictException) when (key is not null)
        {
            // The same key arrived twice at once: the other request's job is the answer.
            var first = await FindJobForKeyAsync(userId, key, CancellationToken.None) ?? throw new ConflictException("A request with this Idempotency-Key is in progress; try again.");
            return new JobCreatedResponse(true, await mediator.Send(new GetJobQuery(first), cancellationToken));
        }

        events.Publish(JobEvent.Of(job, JobEventTypes.Queued));
        return new JobCreatedResponse(true, await mediator.Send(new GetJobQuery(job.Id), cancellationToken));
    }

    private async Task<GenerationJob> CreateAsync(CreateGenerationJobCommand request, Guid userId, string? key, CreditPlan plan, CancellationToken cancellationToken)
    {
        // Read in each round: a failed round's changes to the chat are discarded with it.
        Chat? chat = null;
        if (request.ChatId is { } chatId)
        {
            chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, cancellationToken)
                ?? throw NotFoundException.For("Chat");
        }

        if (key is not null && await FindJobForKeyAsync(userId, key, cancellationToken) is not null)
        {
            // Another request with this key won the race: stop retrying and answer with its job.
            throw new ConflictException("A request with this Idempotency-Key is in progress; try again.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var seed = request.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var job = new GenerationJob(
            userId,
            request.Prompt,
            request.NegativePrompt,
            request.Formats,
            seed,
            request.Quality ?? GenerationQuality.Standard,
            chat?.Id,
            now,
            replyInChat: request.PostToChat,
            testMode: user.IsTestMode,
            imageAssetIds: request.ImageAssetIds,
            targetPolycount: request.TargetPolycount,
            topology: request.Topology ?? MeshTopology.Triangle);
        var cost = credits.CostOf(job);
        if (cost > 0)
        {
            var balance = await credits.OpenAsync(userId, plan, now, cancellationToken);
            if (!balance.CanAfford(cost))
            {
                // The month's grant, if this request added it, is kept even though the job is refused.
                await db.SaveChangesAsync(cancellationToken);
                throw new PaymentRequiredException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"This job costs {Credits(cost)} and {balance.Available} {(balance.Available == 1 ? "is" : "are")} available. Credits are granted on the 1st of each month (UTC); ask an administrator for more, or choose draft quality or fewer formats."));
            }

            db.CreditEntries.Add(balance.Reserve(job.Id, cost, now));
        }

        db.GenerationJobs.Add(job);
        if (chat is not null && request.PostToChat)
        {
            db.Messages.Add(chat.AskForGeneration(job, now));
        }

        if (key is not null)
        {
            db.JobRequestKeys.Add(new JobRequestKey(userId, key, job.Id, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        return job;
    }

    /// <summary>
    /// The images must be the caller's own (another user's is as unknown as a missing one: 404), images (400 for any
    /// other asset), and the model server that will run the job must take images (400 for the text-only shap-e server;
    /// a test key's job runs on the built-in generator, which does).
    /// </summary>
    private async Task CheckImagesAsync(IReadOnlyList<Guid> imageIds, Guid userId, CancellationToken cancellationToken)
    {
        var modelServer = user.IsTestMode ? builtInGenerator : configuredModelServer;
        if (!modelServer.AcceptsImages)
        {
            throw ValidationFailedException.ForField(
                "imageAssetIds", $"The {modelServer.Name} model server of this service makes models from text only; send a prompt without images.");
        }

        var found = await db.Assets.AsNoTracking()
            .Where(a => imageIds.Contains(a.Id) && a.UserId == userId)
            .Select(a => new { a.Id, a.Format })
            .ToListAsync(cancellationToken);
        if (found.Count != imageIds.Count)
        {
            throw NotFoundException.For("Asset");
        }

        if (found.FirstOrDefault(a => !a.Format.IsImage()) is { } notAnImage)
        {
            throw ValidationFailedException.ForField(
                "imageAssetIds", $"Asset {notAnImage.Id} is a {notAnImage.Format.Extension()} file; images are png, jpg or webp.");
        }
    }

    private static string Credits(int count) => count == 1 ? "1 credit" : $"{count} credits";

    private Task<Guid?> FindJobForKeyAsync(Guid userId, string key, CancellationToken cancellationToken) =>
        db.JobRequestKeys.AsNoTracking().Where(k => k.UserId == userId && k.Key == key).Select(k => (Guid?)k.JobId).SingleOrDefaultAsync(cancellationToken);
}
