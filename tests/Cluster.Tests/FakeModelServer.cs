using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// A model server speaking protocol v1 (docs/model-server-protocol.md) that remembers every call: a generation is
/// queued for a moment, then runs with rising progress and succeeds with a one-triangle glb after
/// <see cref="Duration"/> (<see cref="SlowDuration"/> when its prompt says "slow"). A prompt that says "hold" runs
/// until it is canceled.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    public const string GlbName = "mesh.glb";

    private static readonly TimeSpan QueuedFor = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<Guid, Generation> _generations = new();
    private readonly ConcurrentDictionary<Guid, int> _submits = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<long>> _cancels = new();
    private WebApplication? _app;

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1.5);

    public TimeSpan SlowDuration { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>The base URL, ending in a slash, as MODEL_SERVER_URL takes it.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>How many times the job was submitted (a retried or taken-over job is submitted again).</summary>
    public int SubmitsOf(Guid jobId) => _submits.GetValueOrDefault(jobId);

    public int CancelsOf(Guid jobId) => _cancels.TryGetValue(jobId, out var cancels) ? cancels.Count : 0;

    /// <summary>Whether the server has the generation running now.</summary>
    public bool IsRunning(Guid jobId) => _generations.TryGetValue(jobId, out var generation) && generation.Status(this) == "running";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/generations", SubmitAsync);
        app.MapGet("/v1/generations/{id}", (string id) => Find(id) is { } found ? Results.Json(View(found.Id, found.Generation)) : UnknownGeneration());
        app.MapGet("/v1/generations/{id}/files/{name}", (string id, string name) =>
            Find(id) is { } found && found.Generation.Status(this) == "succeeded" && name == GlbName
                ? Results.Bytes(TriangleGlb.Bytes, "application/octet-stream")
                : Results.Json(new { error = "Unknown file" }, statusCode: StatusCodes.Status404NotFound));
        app.MapPost("/v1/generations/{id}/cancel", (string id) => Cancel(id));
        app.MapGet("/health", () => Results.Json(new { ok = true }));
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> SubmitAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var root = body.RootElement;
        if (!root.TryGetProperty("id", out var idElement) || !Guid.TryParse(idElement.GetString(), out var id)
            || !root.TryGetProperty("prompt", out var promptElement) || promptElement.GetString() is not { Length: > 0 } prompt)
        {
            return Results.Json(new { error = "Invalid request", details = "id and prompt are required" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var formats = root.TryGetProperty("formats", out var formatsElement) ? formatsElement.EnumerateArray().Select(f => f.GetString()).ToList() : ["glb"];
        if (formats is not ["glb"])
        {
            return Results.Json(new { error = "Unsupported format", details = "this fake makes glb only" }, statusCode: StatusCodes.Status400BadRequest);
        }

        _submits.AddOrUpdate(id, 1, (_, count) => count + 1);
        // Idempotent as the protocol asks: a live or finished generation is answered as it is, a failed or
        // canceled one starts afresh.
        var generation = _generations.AddOrUpdate(
            id,
            _ => new Generation(prompt),
            (_, existing) => existing.Status(this) == "canceled" ? new Generation(prompt) : existing);
        return Results.Json(View(id, generation), statusCode: StatusCodes.Status202Accepted);
    }

    private IResult Cancel(string id)
    {
        if (Find(id) is not { } found)
        {
            return UnknownGeneration();
        }

        _cancels.GetOrAdd(found.Id, _ => new ConcurrentQueue<long>()).Enqueue(Stopwatch.GetTimestamp());
        found.Generation.Cancel();
        return Results.Json(View(found.Id, found.Generation), statusCode: StatusCodes.Status202Accepted);
    }

    private (Guid Id, Generation Generation)? Find(string id) =>
        Guid.TryParse(id, out var jobId) && _generations.TryGetValue(jobId, out var generation) ? (jobId, generation) : null;

    private static IResult UnknownGeneration() => Results.Json(new { error = "Unknown generation" }, statusCode: StatusCodes.Status404NotFound);

    private Dictionary<string, object?> View(Guid id, Generation generation)
    {
        var status = generation.Status(this);
        return new Dictionary<string, object?>
        {
            ["id"] = id.ToString(),
            ["status"] = status,
            ["progress"] = generation.Progress(this),
            ["error"] = null,
            ["files"] = status == "succeeded"
                ? new[] { new Dictionary<string, object> { ["name"] = GlbName, ["format"] = "glb", ["sizeBytes"] = TriangleGlb.Bytes.Length } }
                : Array.Empty<Dictionary<string, object>>(),
        };
    }

    /// <summary>One generation: its state follows from the time since it was submitted.</summary>
    private sealed class Generation(string prompt)
    {
        private readonly long _submittedAt = Stopwatch.GetTimestamp();
        private volatile bool _canceled;

        public void Cancel() => _canceled = true;

        public string Status(FakeModelServer server)
        {
            var elapsed = Stopwatch.GetElapsedTime(_submittedAt);
            return _canceled ? "canceled"
                : elapsed < QueuedFor ? "queued"
                : Holds || elapsed < DurationOf(server) ? "running"
                : "succeeded";
        }

        public int Progress(FakeModelServer server) => Status(server) switch
        {
            "succeeded" => 100,
            "running" when Holds => 42,
            "running" => (int)Math.Clamp(99 * Stopwatch.GetElapsedTime(_submittedAt) / DurationOf(server), 1, 99),
            _ => 0,
        };

        private bool Holds => prompt.Contains("hold", StringComparison.OrdinalIgnoreCase);

        private TimeSpan DurationOf(FakeModelServer server) =>
            prompt.Contains("slow", StringComparison.OrdinalIgnoreCase) ? server.SlowDuration : server.Duration;
    }
}
