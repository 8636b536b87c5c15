using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Common;

public static class OwnedWebhooks
{
    /// <summary>The caller's webhook; another user's, or none, is 404 (the two are never told apart).</summary>
    public static async Task<Webhook> FindOwnedWebhookAsync(this IApplicationDbContext db, IUser user, Guid id, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id && w.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Webhook");
    }

    /// <summary>Checks the URL against the guard; a refused one is a 400 on the field <c>url</c>.</summary>
    public static async Task EnsureAllowedAsync(this IWebhookUrlGuard guard, string url, CancellationToken cancellationToken)
    {
        if (await guard.FindProblemAsync(url, cancellationToken) is { } problem)
        {
            throw ValidationFailedException.ForField("url", problem);
        }
    }

    /// <summary>The validation rules of a webhook's events, shared by create and update.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> ValidWebhookEvents<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(events => events is { Count: > 0 } && events.All(WebhookEvents.IsSubscribable))
            .WithMessage($"Give at least one event of: {string.Join(", ", WebhookEvents.Subscribable)}.");
}
