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

    /// <summary>Whether the server can model from input images; a job with images for one that cannot is refused at creation.</summary>
    bool AcceptsImages { get; }

    Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}

/// <summary>Keys of the model servers registered besides the configured one.</summary>
public static class ModelServerKeys
{
    /// <summary>The built-in generator, whatever the configured model server: the jobs of test API keys run on it.</summary>
    public const string BuiltIn = "built-in";
}

/// <summary>What to generate.</summary>
/// <param name="JobId">The job; a remote server treats it as the generation's id.</param>
/// <param name="Prompt">The text prompt; empty for an image-only job.</param>
/// <param name="NegativePrompt">What to avoid.</param>
/// <param name="Formats">The model formats to deliver.</param>
/// <param name="Seed">Makes the result repeatable.</param>
/// <param name="Quality">Draft or standard.</param>
/// <param name="Images">Views of one object to model (1 to 4), in the order the caller gave them; none for a text job.</param>
/// <param name="TargetPolycount">About how many triangles the model should have; null leaves it to the generator.</param>
/// <param name="Topology">Triangles, or quads where the generator and format can carry them.</param>
public sealed record GenerationRequest(
    Guid JobId,
    string Prompt,
    string? NegativePrompt,
    IReadOnlyList<AssetFormat> Formats,
    long Seed,
    GenerationQuality Quality,
    IReadOnlyList<GenerationImage>? Images = null,
    int? TargetPolycount = null,
    MeshTopology Topology = MeshTopology.Triangle)
{
    public IReadOnlyList<GenerationImage> Images { get; init; } = Images ?? [];
}

/// <summary>An input image of a generation: an uploaded asset of the job's owner.</summary>
/// <param name="AssetId">The uploaded asset.</param>
/// <param name="Format">png, jpg or webp (sniffed at upload).</param>
/// <param name="Url">A signed URL a remote model server can fetch the image from.</param>
/// <param name="OpenAsync">Reads the image's bytes from storage.</param>
public sealed record GenerationImage(Guid AssetId, AssetFormat Format, Uri Url, Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>The generated files; the caller disposes it, which removes any temporary files.</summary>
public sealed class GenerationOutput(IReadOnlyList<GeneratedFile> files, Action? cleanup = null) : IDisposable
{
    public IReadOnlyList<GeneratedFile> Files { get; } = files;

    public void Dispose() => cleanup?.Invoke();
}

public sealed record GeneratedFile(string FileName, AssetFormat Format, Func<Stream> Open);
