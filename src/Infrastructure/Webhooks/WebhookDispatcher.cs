using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CleanBackend.Application.Webhooks.Common;
using CleanBackend.Domain.Webhooks;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Webhooks;

/// <summary>
/// Sends the deliveries kept in the database. A due delivery is taken by claiming it under a lease in one update
/// guarded by its version, so one dispatcher (of this or another instance) attempts it; the outcome is recorded
/// under the same guard. A dispatcher that dies mid-attempt leaves a lease that runs out, and another takes the
/// delivery again: receivers may see an attempt twice then, and tell by its Webhook-Id.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public string DispatcherId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        using var http = new WebhookHttp(options);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = 0;
                try
                {
                    var ids = await DueAsync(settings.Concurrency, stoppingToken);
                    due = ids.Count;
                    await Task.WhenAll(ids.Select(id => AttemptAsync(id, http.Client, stoppingToken)));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogQueueError(logger, ex);
                }

                if (due == 0)
                {
                    await Task.Delay(settings.Poll, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a held delivery's lease runs out and another dispatcher takes it.
        }
    }

    private async Task<List<Guid>> DueAsync(int count, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var now = Now;
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseExpiresAt == null || d.LeaseExpiresAt <= now))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Take(count)
            .Select(d => d.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Claims, sends and records one attempt of a delivery; false when another dispatcher had it.</summary>
    internal async Task<bool> AttemptAsync(Guid deliveryId, HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            if (await ClaimAsync(deliveryId, cancellationToken) is not { } claimed)
            {
                return false;
            }

            // A secret no key of the ring can read (keys lost) fails the attempt readably instead of holding the delivery.
            var outcome = claimed.Secret is null
                ? new Outcome(Now, null, 0, "The signing secret could not be read; rotate the webhook's secret.")
                : await SendAsync(client, claimed, cancellationToken);
            await RecordAsync(deliveryId, outcome, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAttemptError(logger, ex, deliveryId);
            return false;
        }
    }

    private async Task<Claimed?> ClaimAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || !delivery.IsDue(Now))
        {
            return null;
        }

        var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == delivery.WebhookId, cancellationToken);
        if (webhook is null)
        {
            return null;
        }

        try
        {
            delivery.Claim(DispatcherId, Now, options.Value.Lease);
            await db.SaveChangesAsync(cancellationToken);
            if (delivery.Body is null)
            {
                // Rendered once, at the first attempt: every retry sends these same bytes.
                delivery.SetBody(await scope.ServiceProvider.GetRequiredService<WebhookBodies>().RenderAsync(delivery, webhook, cancellationToken));
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another dispatcher took it first.
            return null;
        }

        string? secret;
        try
        {
            secret = scope.ServiceProvider.GetRequiredService<IWebhookSecretProtector>().Unprotect(webhook.ProtectedSecret);
        }
        catch (CryptographicException ex)
        {
            LogSecretUnreadable(logger, ex, webhook.Id);
            secret = null;
        }

        return new Claimed(delivery.Id, webhook.Url, secret, delivery.Body!);
    }

    private async Task<Outcome> SendAsync(HttpClient client, Claimed claimed, CancellationToken cancellationToken)
    {
        var attemptedAt = Now;
        var timestamp = new DateTimeOffset(attemptedAt).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, claimed.Url)
        {
            Content = new StringContent(claimed.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookHeaders.Id, claimed.DeliveryId.ToString());
        request.Headers.Add(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.Signature, WebhookSignature.Header(claimed.Secret!, timestamp, claimed.Body));

        var timeout = options.Value.AttemptTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var code = (int)response.StatusCode;
            return new Outcome(attemptedAt, code, watch.ElapsedMilliseconds, code is >= 200 and <= 299 ? null : $"The receiver answered {code}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(attemptedAt, null, watch.ElapsedMilliseconds, $"No answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (timed out).");
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(attemptedAt, null, watch.ElapsedMilliseconds, Innermost(ex).Message);
        }
    }

    private async Task RecordAsync(Guid deliveryId, Outcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var round = 1; ; round++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var delivery = await db.WebhookDeliveries.Include(d => d.Attempts).SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
            var webhook = delivery is null ? null : await db.Webhooks.SingleOrDefaultAsync(w => w.Id == delivery.WebhookId, cancellationToken);
            if (delivery is null || webhook is null || delivery.Status != WebhookDeliveryStatus.Pending || delivery.LeaseOwner != DispatcherId)
            {
                // Deleted meanwhile, or the lease ran out and another dispatcher has it now.
                return;
            }

            var now = Now;
            db.Add(delivery.RecordAttempt(DispatcherId, outcome.AttemptedAt, outcome.StatusCode, outcome.DurationMs, outcome.Error, settings.Retries, now));
            var disabled = false;
            if (delivery.Status == WebhookDeliveryStatus.Succeeded)
            {
                webhook.RecordDeliverySucceeded(now);
            }
            else if (delivery.Status == WebhookDeliveryStatus.Failed)
            {
                disabled = webhook.RecordDeliveryFailed(settings.DisableAfterFailedDeliveries, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (round < 3)
            {
                // Its owner changed the webhook meanwhile: record the outcome on what it is now.
                continue;
            }

            LogAttempt(logger, deliveryId, delivery.EventType, outcome.StatusCode, delivery.Status);
            if (disabled)
            {
                await TellOwnerAsync(scope.ServiceProvider, webhook, cancellationToken);
            }

            return;
        }
    }

    private static async Task TellOwnerAsync(IServiceProvider services, Webhook webhook, CancellationToken cancellationToken)
    {
        var owner = await services.GetRequiredService<IIdentityService>().FindByIdAsync(webhook.UserId, cancellationToken);
        if (owner is null)
        {
            return;
        }

        var message = services.GetRequiredService<IEmailTemplates>().Render(EmailTemplateNames.WebhookDisabled, owner.Email, new Dictionary<string, string>
        {
            ["name"] = owner.Name,
            ["url"] = webhook.Url,
            ["reason"] = webhook.DisabledReason ?? "Its deliveries kept failing.",
        });
        await services.GetRequiredService<IEmailSender>().SendAsync(message, cancellationToken);
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook deliveries could not be read")]
    private static partial void LogQueueError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} could not be attempted")]
    private static partial void LogAttemptError(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The signing secret of webhook {WebhookId} could not be read")]
    private static partial void LogSecretUnreadable(ILogger logger, Exception exception, Guid webhookId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({EventType}) answered {StatusCode}; now {Status}")]
    private static partial void LogAttempt(ILogger logger, Guid deliveryId, string eventType, int? statusCode, WebhookDeliveryStatus status);

    private sealed record Claimed(Guid DeliveryId, string Url, string? Secret, string Body);

    private sealed record Outcome(DateTime AttemptedAt, int? StatusCode, long DurationMs, string? Error);
}

/// <summary>The headers of every delivery attempt.</summary>
public static class WebhookHeaders
{
    /// <summary>The delivery's id, the same on every attempt of one event.</summary>
    public const string Id = "Webhook-Id";

    /// <summary>The attempt's time in unix seconds.</summary>
    public const string Timestamp = "Webhook-Timestamp";

    /// <summary><c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>.</summary>
    public const string Signature = "Webhook-Signature";
}
