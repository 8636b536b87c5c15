using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Jobs.Queries.GetActiveJobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CleanBackend.WebApi.Realtime;

/// <summary>
/// The job events over WebSockets at /hubs/events, for clients that prefer SignalR to Server-Sent Events. Each
/// event arrives as a message named after its type (progress, completed, …) carrying a <see cref="JobEventMessage"/>.
/// </summary>
[Authorize]
[ApiKeyScope(ApiKeyScopes.JobsRead)]
public sealed class EventsHub(IMediator mediator) : Hub
{
    public static string GroupOf(Guid userId) => $"user:{userId}";

    public override async Task OnConnectedAsync()
    {
        var userId = Guid.Parse(Context.User!.FindFirst("sub")!.Value);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(userId));

        // A late client first learns where its active jobs are.
        foreach (var current in await mediator.Send(new GetActiveJobEventsQuery()))
        {
            await Clients.Caller.SendAsync(current.Type, JobEventMessage.From(current));
        }

        await base.OnConnectedAsync();
    }
}

/// <summary>Forwards every job event to its owner's connections on the hub.</summary>
public sealed class EventsHubRelay(IJobEventBus events, IHubContext<EventsHub> hub) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var jobEvent in events.SubscribeAllAsync(stoppingToken))
            {
                await hub.Clients.Group(EventsHub.GroupOf(jobEvent.UserId)).SendAsync(jobEvent.Type, JobEventMessage.From(jobEvent), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
