using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Jobs.Queries.GetActiveJobs;
using CleanBackend.Application.Jobs.Queries.GetChangedJobEvents;
using CleanBackend.WebApi.Realtime;

namespace CleanBackend.WebApi.Controllers;

[Route("api/events")]
[Tags("Events")]
public sealed class EventsController(IUser caller, IJobEventBus events) : ApiControllerBase
{
    /// <summary>All of the caller's job events as Server-Sent Events, from the active jobs' current state; each event has an id, and Last-Event-ID resumes with every job changed since. Accepts ?access_token=.</summary>
    [HttpGet(Name = "StreamEvents")]
    [ApiKeyScope(ApiKeyScopes.JobsRead)]
    [ProducesResponseType<JobEventMessage>(StatusCodes.Status200OK, "text/event-stream")]
    public async Task<IResult> Stream([FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken cancellationToken)
    {
        // Listen before reading the current state: a job that moves on in between is then not missed.
        var live = events.Subscribe(caller.RequiredId(), null);
        Response.RegisterForDispose(live);
        IReadOnlyList<JobEvent> first = JobEventStreams.ParseLastEventId(lastEventId) is { } seen
            ? await Mediator.Send(new GetChangedJobEventsQuery(JobEvent.TimeOf(seen) - JobEventStreams.UserResumeOverlap), cancellationToken)
            : await Mediator.Send(new GetActiveJobEventsQuery(), cancellationToken);
        return JobEventStreams.ForUserAsync(live, first, cancellationToken).ToEventStream(Response);
    }
}
