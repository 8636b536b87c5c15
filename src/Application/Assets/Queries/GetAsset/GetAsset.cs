using CleanBackend.Application.Assets.Common;

namespace CleanBackend.Application.Assets.Queries.GetAsset;

public sealed record GetAssetQuery(Guid Id) : IRequest<AssetDto>;

public sealed class GetAssetQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetAssetQuery, AssetDto>
{
    public async Task<AssetDto> Handle(GetAssetQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var asset = await db.Assets.AsNoTracking()
            .Where(a => a.Id == request.Id && a.UserId == userId)
            .ProjectTo<AssetDto>(mapper.ConfigurationProvider)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw NotFoundException.For("Asset");
        return asset.WithSignedUrl(signer);
    }
}
