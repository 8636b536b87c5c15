using CleanBackend.Application.Assets.Common;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Assets.Queries.GetAssets;

/// <summary>The caller's assets, newest first, optionally of one job or one format.</summary>
public sealed record GetAssetsQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, Guid? JobId = null, string? Format = null)
    : IRequest<PaginatedList<AssetDto>>, IPageRequest;

public sealed class GetAssetsQueryValidator : AbstractValidator<GetAssetsQuery>
{
    public GetAssetsQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.Format)
            .Must(f => f is null || AssetFormats.TryParse(f, out _))
            .WithMessage("Format must be one of glb, obj, mtl, ply, png, jpg, webp.");
    }
}

public sealed class GetAssetsQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetAssetsQuery, PaginatedList<AssetDto>>
{
    public async Task<PaginatedList<AssetDto>> Handle(GetAssetsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var assets = db.Assets.AsNoTracking().Where(a => a.UserId == userId);
        if (request.JobId is { } jobId)
        {
            assets = assets.Where(a => a.JobId == jobId);
        }

        if (AssetFormats.TryParse(request.Format, out var format))
        {
            assets = assets.Where(a => a.Format == format);
        }

        var page = await assets
            .OrderByDescending(a => a.CreatedAt)
            .ThenByDescending(a => a.Id)
            .ProjectTo<AssetDto>(mapper.ConfigurationProvider)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
        return new PaginatedList<AssetDto>([.. page.Items.Select(a => a.WithSignedUrl(signer))], page.Page, page.Limit, page.Total);
    }
}
