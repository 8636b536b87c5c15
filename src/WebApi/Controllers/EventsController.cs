using CleanBackend.Application.Jobs.Queries.GetActiveJobs;
using CleanBackend.WebApi.Realtime;

namespace CleanBackend.WebApi.Controllers;

[Route("api/events")]
[Tags("Events")]
public sealed class EventsController(IUser caller, IJobEventBus events) : ApiControllerBase
{
    /// <summary>All of the caller's job events as Server-Sent Events; starts with the active jobs' current state. Accepts ?access_token=.</summary>
    [HttpGet(Name = "StreamEvents")]
    [ProducesResponseType<JobEventMessage>(StatusCodes.Status200OK, "text/event-stream")]
    public async Task<IResult> Stream(CancellationToken cancellationToken)
    {
        // Listen before reading the current state: a job that moves on in between is then not missed.
        var live = events.Subscribe(caller.RequiredId(), null);
        Response.RegisterForDispose(live);
        var active = await Mediator.Send(new GetActiveJobEventsQuery(), cancellationToken);
        return JobEventStreams.ForUserAsync(live, active, cancellationToken).ToEventStream(Response);
    }
}
