using System.Collections.Concurrent;
using System.Text;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.Email;
using CleanBackend.Infrastructure.ModelServers;
using CleanBackend.Infrastructure.ModelServers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.Remote;

/// <summary>
/// A fake model server and the real <see cref="IModelServer"/> for it, registered as the service registers it, with
/// tiny timeouts and file limit and its own temporary folder (so a test can see that nothing is left behind).
/// </summary>
public sealed class RemoteModelServerHarness : IAsyncDisposable
{
    public const long MaxFileBytes = 4096;

    private readonly ServiceProvider _services;

    private RemoteModelServerHarness(FakeModelServer server, ServiceProvider services, string tempRoot, CapturingLoggerProvider logs)
    {
        Server = server;
        _services = services;
        TempRoot = tempRoot;
        Logs = logs;
        ModelServer = services.GetRequiredService<IModelServer>();
    }

    public FakeModelServer Server { get; }

    public IModelServer ModelServer { get; }

    public string TempRoot { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>What is left in the temporary folder of downloads.</summary>
    public IReadOnlyList<string> TempEntries =>
        Directory.Exists(TempRoot) ? Directory.GetFileSystemEntries(TempRoot, "*", SearchOption.AllDirectories) : [];

    /// <summary>Starts a fake server and the client of <paramref name="protocol"/> for it.</summary>
    /// <param name="protocol">v1 or shap-e.</param>
    /// <param name="configure">Changes to the tests' settings.</param>
    /// <param name="systemTemp">Leave downloads where the service puts them (the system's temp folder), not in a folder of the test's.</param>
    public static async Task<RemoteModelServerHarness> StartAsync(string protocol, Action<ModelServerOptions>? configure = null, bool systemTemp = false)
    {
        var server = await FakeModelServer.StartAsync();
        var options = new ModelServerOptions
        {
            Url = server.Url,
            Protocol = protocol,
            RequestTimeout = "5s",
            GenerationTimeout = "60s",
            PollInterval = "20ms",
            MaxAttempts = 3,
            RetryDelay = "10ms",
            BreakerFailures = 50,
            BreakDuration = "30s",
            MaxFileBytes = MaxFileBytes,
        };
        configure?.Invoke(options);
        new ModelServerOptionsValidator().Validate(null, options).Failed.ShouldBeFalse();

        var tempRoot = Path.Combine(Path.GetTempPath(), "cleanbackend-model-server-tests", Guid.NewGuid().ToString("N"));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddRemoteModelServer(options);

        // The last registration wins: the same settings, with this test's own temporary folder.
        if (!systemTemp)
        {
            services.AddSingleton(ModelServerSettings.From(options) with { TempRoot = tempRoot });
        }

        return new RemoteModelServerHarness(server, services.BuildServiceProvider(), tempRoot, logs);
    }

    public static GenerationRequest Request(params AssetFormat[] formats) =>
        new(Guid.NewGuid(), "a small red teapot", "blurry", formats.Length > 0 ? formats : [AssetFormat.Glb], 42, GenerationQuality.Standard);

    /// <summary>Generates; the wait is a guard against a test hanging forever, not a measure of anything.</summary>
    public Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        ModelServer.GenerateAsync(request, progress ?? new ProgressRecorder(), cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

    /// <summary>The exception a generation ends with (null if it succeeded), its output disposed.</summary>
    public async Task<Exception?> GenerateFailureAsync(GenerationRequest request, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        try
        {
            using var output = await GenerateAsync(request, progress, cancellationToken);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
        if (Directory.Exists(TempRoot))
        {
            Directory.Delete(TempRoot, recursive: true);
        }
    }
}

/// <summary>Keeps every progress value, in order; optionally acts on each.</summary>
public sealed class ProgressRecorder(Action<int>? onReport = null) : IProgress<int>
{
    private readonly ConcurrentQueue<int> _values = new();

    public IReadOnlyList<int> Values => [.. _values];

    public void Report(int value)
    {
        _values.Enqueue(value);
        onReport?.Invoke(value);
    }
}

/// <summary>Small files whose first bytes say what they are, and ones that lie.</summary>
public static class ModelFiles
{
    public static readonly byte[] Glb = MakeGlb();
    public static readonly byte[] Obj = Encoding.ASCII.GetBytes("# teapot\nmtllib mesh.mtl\no teapot\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n");
    public static readonly byte[] Mtl = Encoding.ASCII.GetBytes("newmtl red\nKd 1 0 0\n");
    public static readonly byte[] Ply = Encoding.ASCII.GetBytes("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 0 0\n0 1 0\n");

    /// <summary>A binary stl of two triangles: 84 + 2 × 50 bytes, its header starting "solid" as some exporters write it.</summary>
    public static readonly byte[] Stl = MakeStl(2);

    /// <summary>A glb past <see cref="RemoteModelServerHarness.MaxFileBytes"/>.</summary>
    public static readonly byte[] LargeGlb = MakeGlb(padding: (int)RemoteModelServerHarness.MaxFileBytes * 3);

    public static readonly byte[] NotAModel = Encoding.ASCII.GetBytes("<html><body>Internal Server Error</body></html>");

    public static byte[] For(AssetFormat format) => format switch
    {
        AssetFormat.Glb => Glb,
        AssetFormat.Obj => Obj,
        AssetFormat.Mtl => Mtl,
        AssetFormat.Ply => Ply,
        AssetFormat.Stl => Stl,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>A binary stl whose count says <paramref name="triangles"/>, followed by <paramref name="actual"/> triangles (the same when null).</summary>
    public static byte[] MakeStl(int triangles, int? actual = null)
    {
        var bytes = new byte[84 + (50 * (actual ?? triangles))];
        "solid teapot"u8.CopyTo(bytes);
        BitConverter.GetBytes((uint)triangles).CopyTo(bytes, 80);
        for (var i = 84; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        return bytes;
    }

    private static byte[] MakeGlb(int padding = 0)
    {
        var json = Encoding.ASCII.GetBytes("{\"asset\":{\"version\":\"2.0\"}}" + new string(' ', 4 + padding));
        var chunkLength = json.Length + ((4 - (json.Length % 4)) % 4);
        var bytes = new byte[12 + 8 + chunkLength];
        "glTF"u8.CopyTo(bytes);
        BitConverter.GetBytes(2u).CopyTo(bytes, 4);
        BitConverter.GetBytes((uint)bytes.Length).CopyTo(bytes, 8);
        BitConverter.GetBytes((uint)chunkLength).CopyTo(bytes, 12);
        "JSON"u8.CopyTo(bytes.AsSpan(16));
        json.CopyTo(bytes, 20);
        bytes.AsSpan(20 + json.Length).Fill((byte)' ');
        return bytes;
    }
}
