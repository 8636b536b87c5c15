using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Jobs.Queries.GetJob;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Commands.CreateGenerationJob;

/// <summary>
/// Queues a generation and returns at once. From /api/generate with a chat, the prompt becomes a user message of
/// that chat (and the finished model an assistant message). A repeated Idempotency-Key returns the first job.
/// </summary>
public sealed record CreateGenerationJobCommand(
    string Prompt,
    Guid? ChatId = null,
    string? NegativePrompt = null,
    IReadOnlyList<AssetFormat>? Formats = null,
    long? Seed = null,
    GenerationQuality? Quality = null) : IRequest<JobCreatedResponse>
{
    /// <summary>The Idempotency-Key header.</summary>
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    /// <summary>True for /api/generate: the chat gets the prompt and, later, the model.</summary>
    [JsonIgnore]
    public bool PostToChat { get; init; }
}

public sealed class CreateGenerationJobCommandValidator : AbstractValidator<CreateGenerationJobCommand>
{
    public CreateGenerationJobCommandValidator()
    {
        RuleFor(x => x.Prompt).NotEmpty()
            .Must(p => p is null || p.Trim().Length is >= GenerationJob.PromptMinLength and <= GenerationJob.PromptMaxLength)
            .WithMessage($"Prompt must be {GenerationJob.PromptMinLength} to {GenerationJob.PromptMaxLength} characters.");
        RuleFor(x => x.NegativePrompt).MaximumLength(GenerationJob.PromptMaxLength);
        RuleFor(x => x.Formats)
            .Must(f => f is null || (f.Count is > 0 and <= 3 && f.All(x => Enum.IsDefined(x) && x.IsGeneratable())))
            .WithMessage("Formats are one to three of glb, obj, ply.");
        RuleFor(x => x.Seed).InclusiveBetween(0, uint.MaxValue).When(x => x.Seed is not null);
        RuleFor(x => x.Quality).IsInEnum().When(x => x.Quality is not null);
        RuleFor(x => x.IdempotencyKey).MaximumLength(JobRequestKey.KeyMaxLength).WithName("Idempotency-Key");
    }
}

public sealed class CreateGenerationJobCommandHandler(
    IApplicationDbContext db, IUser user, IJobEventBus events, TimeProvider clock, IMediator mediator, CreditAccount credits, UsageLimits limits)
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
        var job = new GenerationJob(userId, request.Prompt, request.NegativePrompt, request.Formats, seed, request.Quality ?? GenerationQuality.Standard, chat?.Id, now, replyInChat: request.PostToChat, testMode: user.IsTestMode);
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
            db.Messages.Add(chat.Post(MessageRole.User, job.Prompt, [], now));
        }

        if (key is not null)
        {
            db.JobRequestKeys.Add(new JobRequestKey(userId, key, job.Id, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        return job;
    }

    private static string Credits(int count) => count == 1 ? "1 credit" : $"{count} credits";

    private Task<Guid?> FindJobForKeyAsync(Guid userId, string key, CancellationToken cancellationToken) =>
        db.JobRequestKeys.AsNoTracking().Where(k => k.UserId == userId && k.Key == key).Select(k => (Guid?)k.JobId).SingleOrDefaultAsync(cancellationToken);
}
