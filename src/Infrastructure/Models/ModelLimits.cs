using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Infrastructure.Models;

/// <summary>
/// How much a model file may ask of the reader: its size, and the vertices and triangles it expands to once every
/// mesh is placed by every node that uses it. Counts are checked before anything is allocated for them, so a small
/// file that claims a huge model is refused, not obeyed.
/// </summary>
internal static class ModelLimits
{
    /// <summary>The largest model asset (50 MB).</summary>
    public const long MaxFileBytes = AssetFormats.MaxModelBytes;

    /// <summary>The largest glTF JSON chunk.</summary>
    public const int MaxJsonBytes = 8 * 1024 * 1024;

    /// <summary>Vertices in the whole model; an stl's 1 million triangles, three corners each, fit.</summary>
    public const int MaxVertices = 3_000_000;

    public const int MaxTriangles = 2_000_000;

    /// <summary>Nodes, meshes, accessors and the like in one glTF file, and meshes placed in its scene.</summary>
    public const int MaxObjects = 10_000;

    /// <summary>Throws when the model would pass the vertex or triangle limit.</summary>
    public static void CheckCounts(string kind, long vertices, long triangles)
    {
        if (vertices > MaxVertices)
        {
            throw new UnreadableModelException($"The {kind} has {vertices} vertices, more than the {MaxVertices} a preview or conversion reads.");
        }

        if (triangles > MaxTriangles)
        {
            throw new UnreadableModelException($"The {kind} has {triangles} triangles, more than the {MaxTriangles} a preview or conversion reads.");
        }
    }
}
