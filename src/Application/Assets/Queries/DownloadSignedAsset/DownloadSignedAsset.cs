using CleanBackend.Application.Assets.Common;

namespace CleanBackend.Application.Assets.Queries.DownloadSignedAsset;

/// <summary>The bytes behind a signed asset URL; no account needed, only a valid, unexpired signature.</summary>
public sealed record DownloadSignedAssetQuery(string StorageKey, long Expires, string? Signature) : IRequest<AssetFile>;

public sealed class DownloadSignedAssetQueryHandler(IApplicationDbContext db, IAssetUrlSigner signer, IFileStorage storage)
    : IRequestHandler<DownloadSignedAssetQuery, AssetFile>
{
    public async Task<AssetFile> Handle(DownloadSignedAssetQuery request, CancellationToken cancellationToken)
    {
        switch (signer.Check(request.StorageKey, request.Expires, request.Signature))
        {
            case SignatureCheck.Expired:
                throw new ForbiddenAccessException("This link has expired");
            case SignatureCheck.Invalid:
                throw new ForbiddenAccessException("Invalid link signature");
        }

        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.StorageKey == request.StorageKey, cancellationToken)
            ?? throw NotFoundException.For("Asset");
        return storage.Open(asset);
    }
}
