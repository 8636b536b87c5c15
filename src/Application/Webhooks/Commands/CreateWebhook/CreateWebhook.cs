using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Webhooks.Common;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Commands.CreateWebhook;

/// <summary>Adds a webhook to the caller's (at most 5); the answer holds its signing secret, shown this once.</summary>
/// <param name="Url">Where deliveries go: https outside development, and no private or loopback address.</param>
/// <param name="Events">The events to deliver: job.completed, job.failed, job.canceled.</param>
/// <param name="Enabled">Whether events are delivered; true when left out.</param>
public sealed record CreateWebhookCommand(string Url, IReadOnlyList<string>? Events, bool? Enabled) : IRequest<WebhookWithSecretDto>;

public sealed class CreateWebhookCommandValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(WebhookUrl.MaxLength);
        RuleFor(x => x.Events).ValidWebhookEvents();
    }
}

public sealed class CreateWebhookCommandHandler(
    IApplicationDbContext db, IUser user, IWebhookUrlGuard guard, IWebhookSecretProtector protector, AuditTrail audit, TimeProvider clock)
    : IRequestHandler<CreateWebhookCommand, WebhookWithSecretDto>
{
    public async Task<WebhookWithSecretDto> Handle(CreateWebhookCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        await guard.EnsureAllowedAsync(request.Url, cancellationToken);
        if (await db.Webhooks.CountAsync(w => w.UserId == userId, cancellationToken) >= Webhook.MaxPerUser)
        {
            throw new ConflictException($"A user can have at most {Webhook.MaxPerUser} webhooks; delete one first.");
        }

        var secret = WebhookSecret.New();
        var webhook = new Webhook(userId, request.Url.Trim(), request.Events!, request.Enabled ?? true, protector.Protect(secret), clock.GetUtcNow().UtcDateTime);
        db.Webhooks.Add(webhook);
        audit.Record(AuditActions.WebhookCreated, userId, user.Email, "webhook", webhook.Id.ToString(), new { webhook.Url, webhook.Events, webhook.Enabled });
        await db.SaveChangesAsync(cancellationToken);
        return WebhookWithSecretDto.From(webhook, secret);
    }
}
