using CleanBackend.Application.Webhooks.Common;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Commands.TestWebhook;

/// <summary>Sends a <c>ping</c> to one of the caller's webhooks (enabled or not), signed and retried like any event.</summary>
public sealed record TestWebhookCommand(Guid Id) : IRequest<WebhookDeliveryDto>;

public sealed class TestWebhookCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock)
    : IRequestHandler<TestWebhookCommand, WebhookDeliveryDto>
{
    public async Task<WebhookDeliveryDto> Handle(TestWebhookCommand request, CancellationToken cancellationToken)
    {
        var webhook = await db.FindOwnedWebhookAsync(user, request.Id, cancellationToken);
        var delivery = new WebhookDelivery(webhook.Id, WebhookEvents.Ping, null, clock.GetUtcNow().UtcDateTime);
        delivery.SetBody(WebhookBodies.RenderPing(delivery, webhook));
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookDeliveryDto.From(delivery);
    }
}
