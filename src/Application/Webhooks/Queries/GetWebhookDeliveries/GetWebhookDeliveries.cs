using CleanBackend.Application.Webhooks.Common;

namespace CleanBackend.Application.Webhooks.Queries.GetWebhookDeliveries;

/// <summary>One page of a webhook's deliveries, newest first, each with its attempts.</summary>
public sealed record GetWebhookDeliveriesQuery(Guid WebhookId, int Page = 1, int Limit = PageRequestRules.DefaultLimit)
    : IRequest<PaginatedList<WebhookDeliveryDto>>, IPageRequest;

public sealed class GetWebhookDeliveriesQueryValidator : AbstractValidator<GetWebhookDeliveriesQuery>
{
    public GetWebhookDeliveriesQueryValidator() => this.AddPageRules();
}

public sealed class GetWebhookDeliveriesQueryHandler(IApplicationDbContext db, IUser user)
    : IRequestHandler<GetWebhookDeliveriesQuery, PaginatedList<WebhookDeliveryDto>>
{
    public async Task<PaginatedList<WebhookDeliveryDto>> Handle(GetWebhookDeliveriesQuery request, CancellationToken cancellationToken)
    {
        var webhook = await db.FindOwnedWebhookAsync(user, request.WebhookId, cancellationToken);
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhook.Id);
        var total = await deliveries.CountAsync(cancellationToken);
        var page = await deliveries
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip((request.Page - 1) * request.Limit).Take(request.Limit)
            .Include(d => d.Attempts)
            .ToListAsync(cancellationToken);
        return new PaginatedList<WebhookDeliveryDto>([.. page.Select(WebhookDeliveryDto.From)], request.Page, request.Limit, total);
    }
}
