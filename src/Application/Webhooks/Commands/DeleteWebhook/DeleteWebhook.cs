using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Webhooks.Common;

namespace CleanBackend.Application.Webhooks.Commands.DeleteWebhook;

/// <summary>Deletes one of the caller's webhooks with its deliveries; nothing more is sent to it.</summary>
public sealed record DeleteWebhookCommand(Guid Id) : IRequest<Unit>;

public sealed class DeleteWebhookCommandHandler(IApplicationDbContext db, IUser user, AuditTrail audit)
    : IRequestHandler<DeleteWebhookCommand, Unit>
{
    public async Task<Unit> Handle(DeleteWebhookCommand request, CancellationToken cancellationToken)
    {
        await db.RetryOnConcurrentChangeAsync(async () =>
        {
            var webhook = await db.FindOwnedWebhookAsync(user, request.Id, cancellationToken);
            db.Webhooks.Remove(webhook);
            audit.Record(AuditActions.WebhookDeleted, webhook.UserId, user.Email, "webhook", webhook.Id.ToString(), new { webhook.Url });
            return await db.SaveChangesAsync(cancellationToken);
        });
        return Unit.Value;
    }
}
