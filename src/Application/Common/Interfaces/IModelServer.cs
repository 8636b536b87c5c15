using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>
/// Turns a prompt into 3D model files: the built-in generator or a remote model server. Progress is
/// reported as it goes; canceling the token abandons the generation at the server too.
/// </summary>
public interface IModelServer
{
    string Name { get; }

    Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}

/// <summary>Keys of the model servers registered besides the configured one.</summary>
public static class ModelServerKeys
{
    /// <summary>The built-in generator, whatever the configured model server: the jobs of test API keys run on it.</summary>
    public const string BuiltIn = "built-in";
}

public sealed record GenerationRequest(Guid JobId, string Prompt, string? NegativePrompt, IReadOnlyList<AssetFormat> Formats, long Seed, GenerationQuality Quality);

/// <summary>The generated files; the caller disposes it, which removes any temporary files.</summary>
public sealed class GenerationOutput(IReadOnlyList<GeneratedFile> files, Action? cleanup = null) : IDisposable
{
    public IReadOnlyList<GeneratedFile> Files { get; } = files;

    public void Dispose() => cleanup?.Invoke();
}

public sealed record GeneratedFile(string FileName, AssetFormat Format, Func<Stream> Open);
