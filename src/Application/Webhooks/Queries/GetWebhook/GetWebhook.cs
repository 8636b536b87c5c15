using CleanBackend.Application.Webhooks.Common;

namespace CleanBackend.Application.Webhooks.Queries.GetWebhook;

public sealed record GetWebhookQuery(Guid Id) : IRequest<WebhookDto>;

public sealed class GetWebhookQueryHandler(IApplicationDbContext db, IUser user) : IRequestHandler<GetWebhookQuery, WebhookDto>
{
    public async Task<WebhookDto> Handle(GetWebhookQuery request, CancellationToken cancellationToken) =>
        WebhookDto.From(await db.FindOwnedWebhookAsync(user, request.Id, cancellationToken));
}
