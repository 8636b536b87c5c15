namespace CleanBackend.Domain.Assets;

public enum AssetFormat
{
    Glb,
    Obj,
    Mtl,
    Ply,
    Png,
    Jpg,
    Webp,

    /// <summary>Binary stl: triangles only, for 3D printing.</summary>
    Stl,
}
