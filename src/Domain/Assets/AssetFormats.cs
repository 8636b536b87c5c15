namespace CleanBackend.Domain.Assets;

/// <summary>What each asset format is: its kind, media type, file extension and size limit.</summary>
public static class AssetFormats
{
    public const long MaxImageBytes = 10L * 1024 * 1024;
    public const long MaxModelBytes = 50L * 1024 * 1024;

    public static bool IsImage(this AssetFormat format) =>
        format is AssetFormat.Png or AssetFormat.Jpg or AssetFormat.Webp;

    /// <summary>Formats a generation job can be asked for (an obj always comes with its mtl).</summary>
    public static bool IsGeneratable(this AssetFormat format) =>
        format is AssetFormat.Glb or AssetFormat.Obj or AssetFormat.Ply or AssetFormat.Stl;

    public static long MaxBytes(this AssetFormat format) => format.IsImage() ? MaxImageBytes : MaxModelBytes;

    public static string Extension(this AssetFormat format) => format switch
    {
        AssetFormat.Jpg => "jpg",
        _ => format.ToString().ToLowerInvariant(),
    };

    public static string ContentType(this AssetFormat format) => format switch
    {
        AssetFormat.Glb => "model/gltf-binary",
        AssetFormat.Obj => "model/obj",
        AssetFormat.Mtl => "model/mtl",
        AssetFormat.Ply => "application/ply",
        AssetFormat.Stl => "model/stl",
        AssetFormat.Png => "image/png",
        AssetFormat.Jpg => "image/jpeg",
        AssetFormat.Webp => "image/webp",
        _ => "application/octet-stream",
    };

    /// <summary>Reads a format name (<c>glb</c>, <c>.PNG</c>, <c>jpeg</c>); numbers and lists are not formats.</summary>
    public static bool TryParse(string? value, out AssetFormat format)
    {
        var name = value?.Trim().TrimStart('.').ToLowerInvariant();
        if (name == "jpeg")
        {
            format = AssetFormat.Jpg;
            return true;
        }

        if (!string.IsNullOrEmpty(name) && name.All(char.IsAsciiLetter) && Enum.TryParse(name, ignoreCase: true, out format))
        {
            return true;
        }

        format = default;
        return false;
    }
}
