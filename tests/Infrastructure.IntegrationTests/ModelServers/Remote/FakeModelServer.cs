using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote;

/// <summary>One request as the fake server received it.</summary>
public sealed record FakeRequest(string Method, string Path, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>What the fake server does with one request.</summary>
public sealed class FakeAnswer
{
    private FakeAnswer(Func<HttpContext, CancellationToken, Task> write) => Write = write;

    internal Func<HttpContext, CancellationToken, Task> Write { get; }

    public static FakeAnswer Json(int status, object body) => Bytes(status, JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web), "application/json");

    public static FakeAnswer Status(int status) => new((context, _) =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    public static FakeAnswer Bytes(int status, byte[] body, string contentType = "application/octet-stream") => new(async (context, stop) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, stop);
    });

    /// <summary>Streams <paramref name="body"/> without a Content-Length, so only counting the bytes finds its size.</summary>
    public static FakeAnswer Chunked(byte[] body) => new(async (context, stop) =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        for (var offset = 0; offset < body.Length; offset += 1024)
        {
            await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(1024, body.Length - offset)), stop);
            await context.Response.Body.FlushAsync(stop);
        }
    });

    /// <summary>Closes the connection without answering.</summary>
    public static FakeAnswer Drop() => new((context, _) =>
    {
        context.Abort();
        return Task.CompletedTask;
    });

    /// <summary>Never answers (until the client gives up or the server stops).</summary>
    public static FakeAnswer Hang() => new(async (context, stop) =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    });

    /// <summary>Tells <paramref name="arrived"/> that the request is here, then answers as <paramref name="then"/> does.</summary>
    public static FakeAnswer Notify(TaskCompletionSource arrived, FakeAnswer then) => new((context, stop) =>
    {
        arrived.TrySetResult();
        return then.Write(context, stop);
    });

    /// <summary>Waits for <paramref name="signal"/>, then answers as <paramref name="then"/> does.</summary>
    public static FakeAnswer After(Task signal, FakeAnswer then) => new(async (context, stop) =>
    {
        await signal.WaitAsync(stop);
        await then.Write(context, stop);
    });
}

/// <summary>
/// A scriptable model server on a loopback port (Kestrel). Each route answers its scripted answers in turn, the last
/// one for every request after; unscripted routes answer 404. Every answer closes its connection, so the client never
/// reuses one and SocketsHttpHandler's own silent retry on a reused connection cannot blur the count of tries.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Script> _routes = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private FakeModelServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public static async Task<FakeModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeModelServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Scripts a route, e.g. <c>On("POST", "/v1/generations", Status(503), Drop(), Json(202, ...))</c>.</summary>
    public FakeModelServer On(string method, string path, params FakeAnswer[] answers)
    {
        _routes[Key(method, path)] = new Script(answers);
        return this;
    }

    public int Count(string method, string path) => _requests.Count(r => r.Method == method && r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private static string Key(string method, string path) => $"{method} {path}";

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Path.Value ?? "/";
        _requests.Enqueue(new FakeRequest(context.Request.Method, path, body));
        context.Response.Headers.Connection = "close";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        var answer = _routes.TryGetValue(Key(context.Request.Method, path), out var script) ? script.Next() : FakeAnswer.Status(404);
        await answer.Write(context, stop.Token);
    }

    private sealed class Script(FakeAnswer[] answers)
    {
        private int _next;

        public FakeAnswer Next()
        {
            var index = Interlocked.Increment(ref _next) - 1;
            return answers[Math.Min(index, answers.Length - 1)];
        }
    }
}
