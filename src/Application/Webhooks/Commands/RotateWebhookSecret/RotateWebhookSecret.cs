using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Webhooks.Common;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Commands.RotateWebhookSecret;

/// <summary>Gives one of the caller's webhooks a new signing secret, shown this once; attempts from now on are signed with it.</summary>
public sealed record RotateWebhookSecretCommand(Guid Id) : IRequest<WebhookWithSecretDto>;

public sealed class RotateWebhookSecretCommandHandler(IApplicationDbContext db, IUser user, IWebhookSecretProtector protector, AuditTrail audit, TimeProvider clock)
    : IRequestHandler<RotateWebhookSecretCommand, WebhookWithSecretDto>
{
    public async Task<WebhookWithSecretDto> Handle(RotateWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.New();
        var webhook = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            var webhook = await db.FindOwnedWebhookAsync(user, request.Id, cancellationToken);
            webhook.RotateSecret(protector.Protect(secret), clock.GetUtcNow().UtcDateTime);
            audit.Record(AuditActions.WebhookSecretRotated, webhook.UserId, user.Email, "webhook", webhook.Id.ToString());
            await db.SaveChangesAsync(cancellationToken);
            return webhook;
        });
        return WebhookWithSecretDto.From(webhook, secret);
    }
}
