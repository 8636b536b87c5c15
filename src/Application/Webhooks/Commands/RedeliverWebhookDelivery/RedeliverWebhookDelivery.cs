using CleanBackend.Application.Webhooks.Common;

namespace CleanBackend.Application.Webhooks.Commands.RedeliverWebhookDelivery;

/// <summary>Sends a finished delivery again: the same event, Webhook-Id and body, with a fresh retry schedule; a pending one is 409.</summary>
public sealed record RedeliverWebhookDeliveryCommand(Guid WebhookId, Guid DeliveryId) : IRequest<WebhookDeliveryDto>;

public sealed class RedeliverWebhookDeliveryCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock)
    : IRequestHandler<RedeliverWebhookDeliveryCommand, WebhookDeliveryDto>
{
    public async Task<WebhookDeliveryDto> Handle(RedeliverWebhookDeliveryCommand request, CancellationToken cancellationToken)
    {
        var webhook = await db.FindOwnedWebhookAsync(user, request.WebhookId, cancellationToken);
        var delivery = await db.WebhookDeliveries.Include(d => d.Attempts)
            .SingleOrDefaultAsync(d => d.Id == request.DeliveryId && d.WebhookId == webhook.Id, cancellationToken)
            ?? throw NotFoundException.For("Delivery");
        delivery.Redeliver(clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("The delivery changed meanwhile; read it again.");
        }

        return WebhookDeliveryDto.From(delivery);
    }
}
