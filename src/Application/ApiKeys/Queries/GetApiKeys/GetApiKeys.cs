using CleanBackend.Application.ApiKeys.Common;

namespace CleanBackend.Application.ApiKeys.Queries.GetApiKeys;

/// <summary>The caller's keys that are not revoked (expired ones included, to be recognised), newest first.</summary>
public sealed record GetApiKeysQuery : IRequest<IReadOnlyList<ApiKeyDto>>;

public sealed class GetApiKeysQueryHandler(IApplicationDbContext db, IUser caller) : IRequestHandler<GetApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(GetApiKeysQuery request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.RevokedAt == null)
            .ToListAsync(cancellationToken);

        // Ids are version 7 GUIDs, but the time is what orders them here, the same on every database.
        return keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).Select(ApiKeyDto.From).ToList();
    }
}
