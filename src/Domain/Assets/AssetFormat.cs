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
}
