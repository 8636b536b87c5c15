using System.Text.Json;
using System.Threading.Channels;
using CleanBackend.Application.Common.Interfaces;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>A SignalR client of the hub /hubs/events of a service in memory; it keeps the job events it receives, in order.</summary>
public sealed class EventsHubClient : IAsyncDisposable
{
    private static readonly string[] EventTypes =
    [
        JobEventTypes.Queued, JobEventTypes.Started, JobEventTypes.Progress,
        JobEventTypes.Completed, JobEventTypes.Failed, JobEventTypes.Canceled,
    ];

    private readonly HubConnection _connection;
    private readonly Channel<HubEvent> _received = Channel.CreateUnbounded<HubEvent>();

    private EventsHubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var type in EventTypes)
        {
            connection.On<JsonElement>(type, message => _received.Writer.TryWrite(new HubEvent(type, message)));
        }
    }

    /// <summary>
    /// A connection over WebSockets to the in-memory server (negotiation included), with the access token, if any,
    /// in the Authorization header of every request.
    /// </summary>
    public static HubConnection CreateConnection(CleanBackendFactory factory, string? accessToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, "hubs/events"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                options.AccessTokenProvider = () => Task.FromResult(accessToken);
                options.WebSocketFactory = (context, cancellationToken) =>
                {
                    var client = factory.Server.CreateWebSocketClient();
                    if (accessToken is not null)
                    {
                        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {accessToken}";
                    }

                    return new ValueTask<System.Net.WebSockets.WebSocket>(client.ConnectAsync(context.Uri, cancellationToken));
                };
            })
            .Build();

    /// <summary>Connects, then waits until the hub has joined the user's group, so no event of a job created next is missed.</summary>
    public static async Task<EventsHubClient> ConnectAsync(CleanBackendFactory factory, string accessToken, CancellationToken cancellationToken)
    {
        var hub = new EventsHubClient(CreateConnection(factory, accessToken));
        await hub._connection.StartAsync(cancellationToken);

        // The hub reads a client's calls only after its OnConnectedAsync has run, so any answer to a first call (here,
        // that the hub has no such method) proves the connection is in the user's group.
        var answer = await Should.ThrowAsync<HubException>(() => hub._connection.InvokeAsync("joined", cancellationToken));
        answer.Message.ShouldBe("Failed to invoke 'joined' due to an error on the server. HubException: Method does not exist.");
        return hub;
    }

    /// <summary>The events received until one of type <paramref name="lastType"/>, that one included.</summary>
    public async Task<List<HubEvent>> ReceiveUntilAsync(string lastType, CancellationToken cancellationToken)
    {
        var received = new List<HubEvent>();
        while (received.Count == 0 || received[^1].Type != lastType)
        {
            received.Add(await _received.Reader.ReadAsync(cancellationToken));
        }

        return received;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>One message from the hub: its name (the event's type) and its argument as sent.</summary>
public sealed record HubEvent(string Type, JsonElement Message);
