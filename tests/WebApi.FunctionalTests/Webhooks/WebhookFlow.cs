using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Webhooks;

/// <summary>The webhook steps the tests share, done through the public API.</summary>
public static class WebhookFlow
{
    /// <summary>Settings for quick deliveries: short retries, a short timeout, a quick poll.</summary>
    public static Dictionary<string, string?> QuickDelivery(string retrySchedule = "300ms,600ms", string timeout = "500ms") => new()
    {
        ["Webhooks:RetrySchedule"] = retrySchedule,
        ["Webhooks:Timeout"] = timeout,
        ["Webhooks:LeaseDuration"] = "10s",
        ["Webhooks:PollInterval"] = "50ms",
    };

    public static async Task<JsonElement> CreateWebhookAsync(this HttpClient client, string url, params string[] events) =>
        await (await client.PostAsJsonAsync("/api/webhooks", new { url, events = events.Length == 0 ? ["job.completed", "job.failed", "job.canceled"] : events }))
            .ReadJsonAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> DeliveriesAsync(this HttpClient client, Guid webhookId) =>
        (await (await client.GetAsync($"/api/webhooks/{webhookId}/deliveries")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");

    /// <summary>Polls the webhook's deliveries until <paramref name="count"/> of them are no longer pending.</summary>
    public static async Task<JsonElement> WaitForFinishedDeliveriesAsync(this HttpClient client, Guid webhookId, int count = 1)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var items = await client.DeliveriesAsync(webhookId);
            if (items.EnumerateArray().Count(d => d.GetProperty("status").GetString() != "pending") >= count)
            {
                return items;
            }

            await Task.Delay(50, patience.Token);
        }
    }

    public static async Task<Guid> CreateJobAsync(this HttpClient client, string prompt = "a red cube") =>
        (await (await client.PostAsJsonAsync("/api/jobs", new { prompt })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

    /// <summary>A job as JSON with its signed asset links cut to their path: a link's expiry depends on when it is read.</summary>
    public static string WithoutLinkSignatures(JsonElement job)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(job.GetRawText())!;
        foreach (var asset in node["assets"]!.AsArray())
        {
            var url = asset!["url"]!.GetValue<string>();
            asset["url"] = url[..url.IndexOf('?', StringComparison.Ordinal)];
        }

        if (node["thumbnailUrl"]?.GetValue<string>() is { } thumbnail)
        {
            node["thumbnailUrl"] = thumbnail[..thumbnail.IndexOf('?', StringComparison.Ordinal)];
        }

        return node.ToJsonString();
    }
}
