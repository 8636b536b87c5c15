using CleanBackend.Application.Assets.Common;

namespace CleanBackend.Application.Assets.Queries.DownloadAsset;

/// <summary>The bytes of one of the caller's assets, as a stream for the response.</summary>
public sealed record DownloadAssetQuery(Guid Id) : IRequest<AssetFile>;

public sealed class DownloadAssetQueryHandler(IApplicationDbContext db, IUser user, IFileStorage storage)
    : IRequestHandler<DownloadAssetQuery, AssetFile>
{
    public async Task<AssetFile> Handle(DownloadAssetQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.Id && a.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Asset");
        return storage.Open(asset);
    }
}
