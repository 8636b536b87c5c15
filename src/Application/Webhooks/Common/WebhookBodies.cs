using System.Text.Json;
using System.Text.Json.Serialization;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Webhooks.Common;

/// <summary>
/// Renders what a delivery sends: <c>{"id", "type", "createdAt", "data"}</c>, where a job event's data is
/// <c>{"job": ...}</c> exactly as GET /api/jobs/{id} shows it to its owner, and a ping's is the webhook.
/// </summary>
public sealed class WebhookBodies(IApplicationDbContext db, IMapper mapper, IAssetUrlSigner signer)
{
    /// <summary>The API's own JSON: camelCase names, enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public async Task<string> RenderAsync(WebhookDelivery delivery, Webhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(webhook);
        object data = delivery.JobId is { } jobId
            ? new { job = await db.FindForOwnerAsync(webhook.UserId, jobId, mapper, signer, cancellationToken) }
            : new { webhook = new { id = webhook.Id, url = webhook.Url } };
        return Render(delivery, data);
    }

    public static string RenderPing(WebhookDelivery delivery, Webhook webhook) =>
        Render(delivery, new { webhook = new { id = webhook.Id, url = webhook.Url } });

    private static string Render(WebhookDelivery delivery, object data) =>
        JsonSerializer.Serialize(new { id = delivery.Id, type = delivery.EventType, createdAt = delivery.CreatedAt, data }, Json);
}
