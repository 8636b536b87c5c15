using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Draws a model file as a square PNG preview, the way the built-in generator draws its own.</summary>
public interface IModelPreviewRenderer
{
    /// <summary>The model formats it reads, the most faithful first: a job's preview is drawn from the first of them it has.</summary>
    IReadOnlyList<AssetFormat> Readable { get; }

    /// <summary>The PNG's bytes; an <see cref="Exceptions.UnreadableModelException"/> when the model cannot be read.</summary>
    Task<byte[]> RenderPngAsync(Stream model, AssetFormat format, CancellationToken cancellationToken);
}
