using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// A real HTTP endpoint on loopback that receives webhook deliveries: it records each request (headers, raw body, the
/// moment it arrived) and answers from a script, one step per request (a status code, or a wait beyond the sender's
/// timeout), then 200 once the script is used up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<CancellationToken, Task<int>>> _script = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<ReceivedWebhook> _received = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/hooks";

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The next requests answer these status codes, in order.</summary>
    public WebhookReceiver ThenAnswer(params int[] statusCodes)
    {
        foreach (var code in statusCodes)
        {
            _script.Enqueue(_ => Task.FromResult(code));
        }

        return this;
    }

    /// <summary>The next request gets no answer for <paramref name="wait"/> (then 200, too late).</summary>
    public WebhookReceiver ThenHang(TimeSpan wait)
    {
        _script.Enqueue(async aborted =>
        {
            await Task.Delay(wait, aborted);
            return 200;
        });
        return this;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? patience = null)
    {
        using var limit = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(60));
        while (Received.Count < count)
        {
            await Task.Delay(20, limit.Token);
        }

        return Received;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _received.Add(new ReceivedWebhook(headers, body, _clock.Elapsed));
        }

        var answer = _script.TryDequeue(out var step) ? step : (_ => Task.FromResult(200));
        try
        {
            context.Response.StatusCode = await answer(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The sender gave up waiting.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the receiver got.</summary>
/// <param name="Headers">Its headers.</param>
/// <param name="Body">Its raw body.</param>
/// <param name="ArrivedAt">When it arrived, from the receiver's start.</param>
public sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan ArrivedAt)
{
    public string Id => Headers["Webhook-Id"];

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}
