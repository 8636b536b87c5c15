using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>A client of the SignalR hub /hubs/events over a raw WebSocket with SignalR's JSON protocol.</summary>
public sealed class HubSocket(WebSocket socket) : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    /// <summary>Connects and completes the protocol handshake.</summary>
    public static async Task<HubSocket> ConnectAsync(CleanBackendFactory factory, string accessToken, CancellationToken cancellationToken)
    {
        var socket = await factory.Server.CreateWebSocketClient()
            .ConnectAsync(new Uri(factory.Server.BaseAddress, $"hubs/events?access_token={accessToken}"), cancellationToken);
        var hub = new HubSocket(socket);
        await hub.SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        (await hub.ReceiveAsync(cancellationToken)).ShouldBe(["{}"]);
        return hub;
    }

    /// <summary>The invocations (type 1) received until one whose target is <paramref name="lastTarget"/>, that one included.</summary>
    public async Task<List<JsonElement>> ReceiveInvocationsUntilAsync(string lastTarget, CancellationToken cancellationToken)
    {
        var invocations = new List<JsonElement>();
        while (invocations.Count == 0 || invocations[^1].GetProperty("target").GetString() != lastTarget)
        {
            invocations.AddRange((await ReceiveAsync(cancellationToken))
                .Select(f => JsonDocument.Parse(f).RootElement)
                .Where(m => m.GetProperty("type").GetInt32() == 1));
        }

        return invocations;
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
