using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Assets.Common;

internal static class AssetFiles
{
    /// <summary>Opens an asset's bytes; a row whose file has gone missing is reported as not found.</summary>
    public static AssetFile Open(this IFileStorage storage, Asset asset) =>
        storage.OpenRead(asset.StorageKey) is { } stream
            ? new AssetFile(stream, asset.ContentType, asset.FileName, asset.Sha256, asset.CreatedAt)
            : throw NotFoundException.For("Asset file");
}
