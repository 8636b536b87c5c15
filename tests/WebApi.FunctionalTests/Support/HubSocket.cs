using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>A client of the SignalR hub /hubs/events over a raw WebSocket with SignalR's JSON protocol.</summary>
public sealed class HubSocket(WebSocket socket) : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly List<JsonElement> _invocations = [];
    private readonly HashSet<string> _completions = [];

    /// <summary>
    /// Connects, completes the protocol handshake, and waits until the hub has joined the user's group: the hub handles
    /// a client's messages only after its OnConnectedAsync, so the answer to a first call proves it has run.
    /// </summary>
    public static async Task<HubSocket> ConnectAsync(CleanBackendFactory factory, string accessToken, CancellationToken cancellationToken)
    {
        var socket = await factory.Server.CreateWebSocketClient()
            .ConnectAsync(new Uri(factory.Server.BaseAddress, $"hubs/events?access_token={accessToken}"), cancellationToken);
        var hub = new HubSocket(socket);
        await hub.SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        (await hub.ReceiveAsync(cancellationToken)).ShouldBe(["{}"]);
        await hub.SendAsync("""{"type":1,"invocationId":"connected","target":"connected","arguments":[]}""", cancellationToken);
        while (!hub._completions.Contains("connected"))
        {
            await hub.ReceiveMessagesAsync(cancellationToken);
        }

        return hub;
    }

    /// <summary>The invocations (type 1) received until one whose target is <paramref name="lastTarget"/>, that one included.</summary>
    public async Task<List<JsonElement>> ReceiveInvocationsUntilAsync(string lastTarget, CancellationToken cancellationToken)
    {
        while (_invocations.Count == 0 || _invocations[^1].GetProperty("target").GetString() != lastTarget)
        {
            await ReceiveMessagesAsync(cancellationToken);
        }

        List<JsonElement> received = [.. _invocations];
        _invocations.Clear();
        return received;
    }

    /// <summary>Reads one frame: invocations are kept for the caller, completions of the client's own calls noted.</summary>
    private async Task ReceiveMessagesAsync(CancellationToken cancellationToken)
    {
        foreach (var message in (await ReceiveAsync(cancellationToken)).Select(f => JsonDocument.Parse(f).RootElement))
        {
            switch (message.GetProperty("type").GetInt32())
            {
                case 1:
                    _invocations.Add(message);
                    break;
                case 3:
                    _completions.Add(message.GetProperty("invocationId").GetString()!);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        socket.Dispose();
    }

    private Task SendAsync(string message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    private async Task<string[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray()).Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries);
    }
}
