using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>The SignalR hub spoken to over a raw WebSocket with SignalR's JSON protocol (no .NET SignalR client is available).</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class EventsHubTests(CleanBackendFactory factory)
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task Hub_SendsTheCallersJobEventsUntilCompleted()
    {
        var user = await factory.CreateUserAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var socket = await factory.Server.CreateWebSocketClient()
            .ConnectAsync(new Uri(factory.Server.BaseAddress, $"hubs/events?access_token={user.AccessToken}"), patience.Token);
        await SendAsync(socket, """{"protocol":"json","version":1}""", patience.Token);
        (await ReceiveAsync(socket, patience.Token)).ShouldBe(["{}"]);

        var id = (await (await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/jobs", new { prompt = "a green torus" }))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        var targets = new List<string>();
        JsonElement last;
        do
        {
            var frames = await ReceiveAsync(socket, patience.Token);
            var invocation = frames.Select(f => JsonDocument.Parse(f).RootElement).Where(m => m.GetProperty("type").GetInt32() == 1).ToList();
            if (invocation.Count == 0)
            {
                last = default;
                continue;
            }

            last = invocation[^1];
            targets.AddRange(invocation.Select(m => m.GetProperty("target").GetString()!));
            invocation.ShouldAllBe(m => m.GetProperty("arguments")[0].GetProperty("jobId").GetGuid() == id);
        }
        while (last.ValueKind == JsonValueKind.Undefined || last.GetProperty("target").GetString() != "completed");

        targets.ShouldContain("queued");
        targets[^1].ShouldBe("completed");
        last.GetProperty("arguments")[0].GetProperty("progress").GetInt32().ShouldBe(100);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task Hub_WithoutAToken_IsRefused()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "hubs/events"), CancellationToken.None));

        error.Message.ShouldContain("401");
    }

    private static Task SendAsync(WebSocket socket, string message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<string[]> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
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
