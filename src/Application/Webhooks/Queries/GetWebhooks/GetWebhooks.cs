using CleanBackend.Application.Webhooks.Common;

namespace CleanBackend.Application.Webhooks.Queries.GetWebhooks;

/// <summary>The caller's webhooks, oldest first (at most five, so no pages).</summary>
public sealed record GetWebhooksQuery : IRequest<IReadOnlyList<WebhookDto>>;

public sealed class GetWebhooksQueryHandler(IApplicationDbContext db, IUser user) : IRequestHandler<GetWebhooksQuery, IReadOnlyList<WebhookDto>>
{
    public async Task<IReadOnlyList<WebhookDto>> Handle(GetWebhooksQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.UserId == userId).ToListAsync(cancellationToken);
        return [.. webhooks.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).Select(WebhookDto.From)];
    }
}
