using System.Text.Json.Serialization;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Webhooks.Common;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Commands.UpdateWebhook;

/// <summary>Changes what is given of one of the caller's webhooks; enabling it again clears its failures.</summary>
/// <param name="Url">A new URL, under the same rules as at creation.</param>
/// <param name="Events">New events (replacing the old ones).</param>
/// <param name="Enabled">Enable or disable it.</param>
public sealed record UpdateWebhookCommand(string? Url, IReadOnlyList<string>? Events, bool? Enabled) : IRequest<WebhookDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }
}

public sealed class UpdateWebhookCommandValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookCommandValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(WebhookUrl.MaxLength).When(x => x.Url is not null);
        RuleFor(x => x.Events).ValidWebhookEvents().When(x => x.Events is not null);
    }
}

public sealed class UpdateWebhookCommandHandler(IApplicationDbContext db, IUser user, IWebhookUrlGuard guard, AuditTrail audit, TimeProvider clock)
    : IRequestHandler<UpdateWebhookCommand, WebhookDto>
{
    public async Task<WebhookDto> Handle(UpdateWebhookCommand request, CancellationToken cancellationToken)
    {
        var webhook = await db.FindOwnedWebhookAsync(user, request.Id, cancellationToken);
        if (request.Url is not null)
        {
            await guard.EnsureAllowedAsync(request.Url, cancellationToken);
        }

        // A dispatcher may record a delivery's outcome on the webhook meanwhile: apply the change to what it is now.
        await db.RetryOnConcurrentChangeAsync(async () =>
        {
            webhook = await db.FindOwnedWebhookAsync(user, request.Id, cancellationToken);
            webhook.Update(request.Url?.Trim(), request.Events, request.Enabled, clock.GetUtcNow().UtcDateTime);
            audit.Record(AuditActions.WebhookUpdated, webhook.UserId, user.Email, "webhook", webhook.Id.ToString(), new { request.Url, request.Events, request.Enabled });
            return await db.SaveChangesAsync(cancellationToken);
        });
        return WebhookDto.From(webhook);
    }
}
