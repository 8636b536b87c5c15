using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Usage.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Jobs.Commands.CreateGenerationJob;
using CleanBackend.Application.Jobs.Commands.CancelJob;
using CleanBackend.Application.Jobs.Commands.ConvertJobModel;
using CleanBackend.Application.Jobs.Commands.RenameJob;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Jobs.Queries.GetJob;
using CleanBackend.Application.Jobs.Queries.GetJobEvent;
using CleanBackend.Application.Jobs.Queries.GetJobs;
using CleanBackend.Domain.Jobs;
using CleanBackend.WebApi.Realtime;

namespace CleanBackend.WebApi.Controllers;

[Route("api/jobs")]
[Tags("Jobs")]
public sealed class JobsController(IUser caller, IJobEventBus events) : ApiControllerBase
{
    /// <summary>The caller's jobs, newest first, optionally of one status or chat.</summary>
    [HttpGet(Name = "ListJobs")]
    [ApiKeyScope(ApiKeyScopes.JobsRead)]
    [ProducesResponseType<PaginatedList<JobDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<JobDto>> List(int page = 1, int limit = PageRequestRules.DefaultLimit, JobStatus? status = null, Guid? chatId = null, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetJobsQuery(page, limit, status, chatId), cancellationToken);

    /// <summary>Queues a generation without touching any chat (see POST /api/generate); answers at once.</summary>
    [HttpPost(Name = "CreateJob")]
    [ApiKeyScope(ApiKeyScopes.JobsWrite)]
    [UsageLimit(UsageLimitNames.Generation, UsageLimitNames.Creation)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status402PaymentRequired, "application/problem+json")]
    [ProducesResponseType<JobCreatedResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<JobCreatedResponse>> Create(
        CreateGenerationJobCommand command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken) =>
        Accepted(await Mediator.Send(command with { IdempotencyKey = idempotencyKey, PostToChat = false }, cancellationToken));

    [HttpGet("{id:guid}", Name = "GetJob")]

    [ApiKeyScope(ApiKeyScopes.JobsRead)]
    [ProducesResponseType<JobDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<JobDto> Get(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new GetJobQuery(id), cancellationToken);

    /// <summary>Gives the job a title.</summary>
    [HttpPatch("{id:guid}", Name = "RenameJob")]
    [ApiKeyScope(ApiKeyScopes.JobsWrite)]
    [ProducesResponseType<JobDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<JobDto> Rename(Guid id, RenameJobCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { Id = id }, cancellationToken);

    /// <summary>Cancels a queued or running job; a finished one is 409.</summary>
    [HttpPost("{id:guid}/cancel", Name = "CancelJob")]
    [ApiKeyScope(ApiKeyScopes.JobsWrite)]
    [ProducesResponseType<JobDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<JobDto> Cancel(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new CancelJobCommand(id), cancellationToken);

    /// <summary>Makes another format of a completed job's model from its glb (stl, ply, obj with its mtl) as assets of the job: 201 with them, or 200 with those the job already has in that format. A job not completed, or without a glb, is 409.</summary>
    [HttpPost("{id:guid}/convert", Name = "ConvertJobModel")]
    [ApiKeyScope(ApiKeyScopes.JobsWrite)]
    [ProducesResponseType<ConvertedModelResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ConvertedModelResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<ConvertedModelResponse>> Convert(Guid id, ConvertJobModelCommand command, CancellationToken cancellationToken)
    {
        var converted = await Mediator.Send(command with { Id = id }, cancellationToken);
        return converted.Created ? CreatedAtRoute("GetAsset", new { id = converted.Assets[0].Id }, converted) : Ok(converted);
    }

    /// <summary>The job's live progress as Server-Sent Events, from its current state to its final event; each event has an id, and Last-Event-ID resumes after it (204 once past the final event). Accepts ?access_token=.</summary>
    [HttpGet("{id:guid}/events", Name = "StreamJobEvents")]
    [ApiKeyScope(ApiKeyScopes.JobsRead)]
    [ProducesResponseType<JobEventMessage>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> Events(Guid id, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken cancellationToken)
    {
        // Listen before reading the job: had it finished in between, the stream would wait forever for its end.
        var live = events.Subscribe(caller.RequiredId(), id);
        Response.RegisterForDispose(live);
        var current = await Mediator.Send(new GetJobEventQuery(id), cancellationToken);
        var seen = JobEventStreams.ParseLastEventId(lastEventId);
        return JobEventStreams.HasSeenTheEnd(current, seen)
            ? TypedResults.NoContent()
            : JobEventStreams.ForJobAsync(live, current, seen, cancellationToken).ToEventStream(Response);
    }
}
