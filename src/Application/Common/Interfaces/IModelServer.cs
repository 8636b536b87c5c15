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

public sealed record GenerationRequest(Guid JobId, string Prompt, string? NegativePrompt, IReadOnlyList<AssetFormat> Formats, long Seed, GenerationQuality Quality);

/// <summary>The generated files; the caller disposes it, which removes any temporary files.</summary>
public sealed class GenerationOutput(IReadOnlyList<GeneratedFile> files, Action? cleanup = null) : IDisposable
{
    public IReadOnlyList<GeneratedFile> Files { get; } = files;

    public void Dispose() => cleanup?.Invoke();
}

public sealed record GeneratedFile(string FileName, AssetFormat Format, Func<Stream> Open);
