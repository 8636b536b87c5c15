using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Makes another format of a glb model: stl, ply, glb, or obj with its mtl.</summary>
public interface IModelConverter
{
    /// <summary>
    /// The files of <paramref name="format"/> (an obj first, then its mtl), named <paramref name="baseName"/> with the
    /// format's extension when that is a plain file name; the caller disposes the output, which removes them. An
    /// <see cref="Exceptions.UnreadableModelException"/> when the glb cannot be read.
    /// </summary>
    Task<GenerationOutput> ConvertAsync(Stream glb, AssetFormat format, string baseName, CancellationToken cancellationToken);
}
