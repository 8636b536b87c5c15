using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>A built-in generator working in its own temporary folder, removed with the test class.</summary>
public abstract class BuiltInTestBase : IDisposable
{
    public static readonly AssetFormat[] AllFormats = [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply];

    protected BuiltInTestBase()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), "cleanbackend-builtin-tests-" + Guid.NewGuid().ToString("N"));
        Server = new BuiltInModelServer(NullLogger<BuiltInModelServer>.Instance, WorkRoot);
    }

    protected string WorkRoot { get; }

    internal BuiltInModelServer Server { get; }

    public void Dispose()
    {
        if (Directory.Exists(WorkRoot))
        {
            Directory.Delete(WorkRoot, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    protected static GenerationRequest Request(
        string prompt,
        long seed = 42,
        GenerationQuality quality = GenerationQuality.Standard,
        string? negativePrompt = null,
        AssetFormat[]? formats = null) =>
        new(Guid.NewGuid(), prompt, negativePrompt, formats ?? AllFormats, seed, quality);

    /// <summary>Generates and reads every file back into memory, keyed by file name; the output is disposed.</summary>
    protected async Task<Dictionary<string, byte[]>> GenerateBytesAsync(GenerationRequest request)
    {
        using var output = await Server.GenerateAsync(request, new RecordingProgress(), CancellationToken.None);
        return output.Files.ToDictionary(f => f.FileName, f => ReadAll(f.Open));
    }

    protected static byte[] ReadAll(Func<Stream> open)
    {
        using var stream = open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The mesh the generator builds for the same inputs, to compare counts with.</summary>
    internal static Mesh MeshFor(GenerationRequest request) =>
        SceneBuilder.Build(PromptParser.Parse(request.Prompt, request.NegativePrompt), request.Seed, request.Quality, request.TargetPolycount);
}

/// <summary>Records progress synchronously (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
public sealed class RecordingProgress(Action<int>? onReport = null) : IProgress<int>
{
    private readonly List<int> _values = [];

    public IReadOnlyList<int> Values
    {
        get
        {
            lock (_values)
            {
                return [.. _values];
            }
        }
    }

    public void Report(int value)
    {
        lock (_values)
        {
            _values.Add(value);
        }

        onReport?.Invoke(value);
    }
}

public static class RepositoryRoot
{
    /// <summary>The folder holding CleanBackend.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CleanBackend.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CleanBackend.sln was not found above " + AppContext.BaseDirectory);
    }
}
