namespace CleanBackend.Domain.Jobs;

/// <summary>The faces a generated mesh is made of.</summary>
public enum MeshTopology
{
    Triangle,

    /// <summary>Quads where the generator and the format support them (obj); triangle-only formats stay triangles.</summary>
    Quad,
}
