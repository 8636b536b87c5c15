using System.Security.Cryptography;
using System.Text.Json.Serialization;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Jobs.Queries.GetJob;
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

public sealed class CreateGenerationJobCommandHandler(IApplicationDbContext db, IUser user, IJobEventBus events, TimeProvider clock, IMediator mediator)
    : IRequestHandler<CreateGenerationJobCommand, JobCreatedResponse>
{
    public async Task<JobCreatedResponse> Handle(CreateGenerationJobCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var key = string.IsNullOrWhiteSpace(request.IdempotencyKey) ? null : request.IdempotencyKey.Trim();
        if (key is not null && await FindJobForKeyAsync(userId, key, cancellationToken) is { } earlier)
        {
            return new JobCreatedResponse(true, await mediator.Send(new GetJobQuery(earlier), cancellationToken));
        }

        Chat? chat = null;
        if (request.ChatId is { } chatId)
        {
            chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, cancellationToken)
                ?? throw NotFoundException.For("Chat");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var seed = request.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var job = new GenerationJob(userId, request.Prompt, request.NegativePrompt, request.Formats, seed, request.Quality ?? GenerationQuality.Standard, chat?.Id, now, replyInChat: request.PostToChat, testMode: user.IsTestMode);
        db.GenerationJobs.Add(job);
        if (chat is not null && request.PostToChat)
        {
            db.Messages.Add(chat.Post(MessageRole.User, job.Prompt, [], now));
        }

        if (key is not null)
        {
            db.JobRequestKeys.Add(new JobRequestKey(userId, key, job.Id, now));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (key is not null)
        {
            // The same key arrived twice at once: the other request's job is the answer.
            var first = await FindJobForKeyAsync(userId, key, CancellationToken.None) ?? throw new ConflictException("A request with this Idempotency-Key is in progress; try again.");
            return new JobCreatedResponse(true, await mediator.Send(new GetJobQuery(first), cancellationToken));
        }

        events.Publish(JobEvent.Of(job, JobEventTypes.Queued));
        return new JobCreatedResponse(true, await mediator.Send(new GetJobQuery(job.Id), cancellationToken));
    }

    private Task<Guid?> FindJobForKeyAsync(Guid userId, string key, CancellationToken cancellationToken) =>
        db.JobRequestKeys.AsNoTracking().Where(k => k.UserId == userId && k.Key == key).Select(k => (Guid?)k.JobId).SingleOrDefaultAsync(cancellationToken);
}
