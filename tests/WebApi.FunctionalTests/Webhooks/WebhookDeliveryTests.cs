using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Webhooks;

/// <summary>Deliveries against a real receiver on loopback: signed, retried on failure and timeout, exactly once per event.</summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task Delivery_ThatFailsThenTimesOutThenSucceeds_IsRetriedOnSchedule_WithTheSameIdBodyAndValidSignatures()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.ThenAnswer(500).ThenHang(TimeSpan.FromSeconds(3)).ThenAnswer(200);
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery(retrySchedule: "300ms,600ms,5s", timeout: "500ms"));
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var webhook = await client.CreateWebhookAsync(receiver.Url);
        var webhookId = webhook.GetProperty("id").GetGuid();
        var secret = webhook.GetProperty("secret").GetString()!;

        var ping = await (await client.PostAsync($"/api/webhooks/{webhookId}/test", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        var deliveries = await client.WaitForFinishedDeliveriesAsync(webhookId);
        await Task.Delay(1500);

        var received = receiver.Received;
        received.Count.ShouldBe(3);
        var deliveryId = ping.GetProperty("id").GetGuid().ToString();
        received.ShouldAllBe(r => r.Id == deliveryId && r.Body == received[0].Body);
        foreach (var request in received)
        {
            request.Headers["Content-Type"].ShouldStartWith("application/json");
            request.Headers["User-Agent"].ShouldStartWith("CleanBackend-Webhooks/");
            var timestamp = request.Headers["Webhook-Timestamp"];
            request.Headers["Webhook-Signature"].ShouldStartWith($"t={timestamp},v1=");
            WebhookSignatureVerifier.IsValid(secret, request.Headers["Webhook-Signature"], request.Body, DateTimeOffset.UtcNow).ShouldBeTrue();
            WebhookSignatureVerifier.IsValid(secret, request.Headers["Webhook-Signature"], request.Body + " ", DateTimeOffset.UtcNow).ShouldBeFalse();
        }

        // Each retry waits its turn of the schedule after the previous attempt ended (the second one by timing out).
        (received[1].ArrivedAt - received[0].ArrivedAt).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
        (received[2].ArrivedAt - received[1].ArrivedAt).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(600));

        var body = received[0].Json;
        body.PropertyNames().ShouldBe(["createdAt", "data", "id", "type"]);
        body.GetProperty("id").GetString().ShouldBe(deliveryId);
        body.GetProperty("type").GetString().ShouldBe("ping");
        body.GetProperty("data").GetProperty("webhook").GetProperty("id").GetGuid().ShouldBe(webhookId);

        var delivery = deliveries.EnumerateArray().Single();
        delivery.GetProperty("id").GetString().ShouldBe(deliveryId);
        delivery.GetProperty("event").GetString().ShouldBe("ping");
        delivery.GetProperty("status").GetString().ShouldBe("succeeded");
        delivery.GetProperty("nextAttemptAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        attempts.Select(a => a.GetProperty("number").GetInt32()).ShouldBe([1, 2, 3]);
        attempts.Select(a => a.GetProperty("statusCode").ValueKind == System.Text.Json.JsonValueKind.Null ? (int?)null : a.GetProperty("statusCode").GetInt32()).ShouldBe([500, null, 200]);
        attempts.Select(a => a.GetProperty("succeeded").GetBoolean()).ShouldBe([false, false, true]);
        attempts[0].GetProperty("error").GetString().ShouldBe("The receiver answered 500.");
        attempts[1].GetProperty("error").GetString()!.ShouldContain("timed out");
        attempts[1].GetProperty("durationMs").GetInt64().ShouldBeGreaterThanOrEqualTo(450);
        attempts[2].GetProperty("error").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var times = attempts.Select(a => a.GetProperty("attemptedAt").GetDateTime()).ToList();
        var took = attempts.Select(a => TimeSpan.FromMilliseconds(a.GetProperty("durationMs").GetInt64())).ToList();
        var tick = TimeSpan.FromMilliseconds(1);
        (times[1] - times[0]).ShouldBeGreaterThanOrEqualTo(took[0] + TimeSpan.FromMilliseconds(300) - tick);
        (times[2] - times[1]).ShouldBeGreaterThanOrEqualTo(took[1] + TimeSpan.FromMilliseconds(600) - tick);
    }

    [Fact]
    public async Task Delivery_ThatFailsEveryAttempt_FailsAfterTheLastRetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.ThenAnswer(503, 503, 503, 503);
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery(retrySchedule: "100ms,100ms"));
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var webhookId = (await client.CreateWebhookAsync(receiver.Url)).GetProperty("id").GetGuid();

        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        var delivery = (await client.WaitForFinishedDeliveriesAsync(webhookId)).EnumerateArray().Single();
        await Task.Delay(500);

        receiver.Received.Count.ShouldBe(3);
        delivery.GetProperty("status").GetString().ShouldBe("failed");
        delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()).ShouldBe([503, 503, 503]);
        var after = await (await client.GetAsync($"/api/webhooks/{webhookId}")).ReadJsonAsync(HttpStatusCode.OK);
        after.GetProperty("consecutiveFailures").GetInt32().ShouldBe(1);
        after.GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Webhook_WhoseDeliveriesKeepFailing_IsDisabled_ItsOwnerEmailedOnce_AndEnablingItClearsTheFailures()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.ThenAnswer(500, 500, 500, 500, 500, 500);
        var settings = WebhookFlow.QuickDelivery(retrySchedule: "100ms");
        settings["Webhooks:DisableAfterFailedDeliveries"] = "2";
        using var factory = CleanBackendFactory.With(settings);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var webhookId = (await client.CreateWebhookAsync(receiver.Url)).GetProperty("id").GetGuid();

        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        await client.WaitForFinishedDeliveriesAsync(webhookId, 1);
        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        await client.WaitForFinishedDeliveriesAsync(webhookId, 2);
        // A third failure of a disabled webhook neither counts nor e-mails again.
        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        await client.WaitForFinishedDeliveriesAsync(webhookId, 3);

        var disabled = await (await client.GetAsync($"/api/webhooks/{webhookId}")).ReadJsonAsync(HttpStatusCode.OK);
        disabled.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        disabled.GetProperty("consecutiveFailures").GetInt32().ShouldBe(2);
        disabled.GetProperty("disabledReason").GetString().ShouldBe("Disabled after 2 failed deliveries in a row.");
        disabled.GetProperty("disabledAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);
        var mail = await factory.Mailbox.WaitForMessageAsync(user.Email);
        mail.ShouldContain("Subject: Your CleanBackend webhook was disabled");
        mail.ShouldContain(receiver.Url);
        mail.ShouldContain("Disabled after 2 failed deliveries in a row.");
        await Task.Delay(500);
        factory.Mailbox.MessagesTo(user.Email).Count.ShouldBe(1);

        // Disabled: a finished job delivers nothing.
        var jobId = await client.CreateJobAsync();
        await client.WaitForJobAsync(jobId);
        await Task.Delay(300);
        (await client.DeliveriesAsync(webhookId)).EnumerateArray().ShouldNotContain(d => d.GetProperty("event").GetString() == "job.completed");

        var enabled = await (await client.PatchAsJsonAsync($"/api/webhooks/{webhookId}", new { enabled = true })).ReadJsonAsync(HttpStatusCode.OK);
        enabled.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        enabled.GetProperty("consecutiveFailures").GetInt32().ShouldBe(0);
        enabled.GetProperty("disabledReason").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        enabled.GetProperty("disabledAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Redeliver_SendsTheSameEventAgain_WithTheSameWebhookIdAndBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery());
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var webhookId = (await client.CreateWebhookAsync(receiver.Url)).GetProperty("id").GetGuid();
        var deliveryId = (await (await client.PostAsync($"/api/webhooks/{webhookId}/test", null)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await client.WaitForFinishedDeliveriesAsync(webhookId);

        var redelivered = await (await client.PostAsync($"/api/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        redelivered.GetProperty("id").GetGuid().ShouldBe(deliveryId);
        redelivered.GetProperty("status").GetString().ShouldBe("pending");
        var received = await receiver.WaitForAsync(2);
        var delivery = (await client.WaitForFinishedDeliveriesAsync(webhookId)).EnumerateArray().Single();

        received.Count.ShouldBe(2);
        received[1].Id.ShouldBe(received[0].Id);
        received[1].Body.ShouldBe(received[0].Body);
        delivery.GetProperty("status").GetString().ShouldBe("succeeded");
        delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()).ShouldBe([200, 200]);
    }

    [Fact]
    public async Task Redeliver_OfADeliveryStillPending_Returns409()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Webhooks:Enabled"] = "false" });
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var webhookId = (await client.CreateWebhookAsync("http://127.0.0.1:9/hooks")).GetProperty("id").GetGuid();
        var ping = await (await client.PostAsync($"/api/webhooks/{webhookId}/test", null)).ReadJsonAsync(HttpStatusCode.Accepted);

        ping.PropertyNames().ShouldBe(["attempts", "completedAt", "createdAt", "event", "id", "jobId", "nextAttemptAt", "status", "webhookId"]);
        ping.GetProperty("status").GetString().ShouldBe("pending");
        ping.GetProperty("event").GetString().ShouldBe("ping");
        ping.GetProperty("webhookId").GetGuid().ShouldBe(webhookId);
        ping.GetProperty("attempts").GetArrayLength().ShouldBe(0);
        var problem = await (await client.PostAsync($"/api/webhooks/{webhookId}/deliveries/{ping.GetProperty("id").GetGuid()}/redeliver", null))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, null);
        problem.GetProperty("detail").GetString()!.ShouldContain("still being attempted");
    }

    [Fact]
    public async Task RotatedSecret_SignsTheDeliveriesMadeAfterIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery());
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var created = await client.CreateWebhookAsync(receiver.Url);
        var webhookId = created.GetProperty("id").GetGuid();

        var rotated = await (await client.PostAsync($"/api/webhooks/{webhookId}/rotate-secret", null)).ReadJsonAsync(HttpStatusCode.OK);
        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        var request = (await receiver.WaitForAsync(1)).Single();

        var newSecret = rotated.GetProperty("secret").GetString()!;
        newSecret.ShouldNotBe(created.GetProperty("secret").GetString());
        WebhookSignatureVerifier.IsValid(newSecret, request.Headers["Webhook-Signature"], request.Body, DateTimeOffset.UtcNow).ShouldBeTrue();
        WebhookSignatureVerifier.IsValid(created.GetProperty("secret").GetString()!, request.Headers["Webhook-Signature"], request.Body, DateTimeOffset.UtcNow).ShouldBeFalse();
    }

    [Fact]
    public async Task ReadmeVerification_AcceptsARealDelivery_AndRefusesAnOldOrForgedOne()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery());
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var created = await client.CreateWebhookAsync(receiver.Url);
        await client.PostAsync($"/api/webhooks/{created.GetProperty("id").GetGuid()}/test", null);
        var request = (await receiver.WaitForAsync(1)).Single();
        var secret = created.GetProperty("secret").GetString()!;
        var signature = request.Headers["Webhook-Signature"];
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers["Webhook-Timestamp"], CultureInfo.InvariantCulture));

        WebhookSignatureVerifier.IsValid(secret, signature, request.Body, sentAt.AddMinutes(4)).ShouldBeTrue();
        WebhookSignatureVerifier.IsValid(secret, signature, request.Body, sentAt.AddMinutes(6)).ShouldBeFalse();
        WebhookSignatureVerifier.IsValid(secret, signature, request.Body.Replace("ping", "pong", StringComparison.Ordinal), sentAt).ShouldBeFalse();
        WebhookSignatureVerifier.IsValid("whsec_wrong", signature, request.Body, sentAt).ShouldBeFalse();
    }

    [Fact]
    public async Task ConnectTimeCheck_RefusesALoopbackAddress_WhenPrivateNetworksAreNotAllowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = WebhookFlow.QuickDelivery(retrySchedule: "100ms");
        settings["Webhooks:AllowPrivateNetworks"] = "false";
        using var factory = CleanBackendFactory.With(settings);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        // A public name that later resolves to loopback: the webhook exists, as if its URL had passed the check.
        Guid webhookId = default;
        await factory.SeedAsync(db =>
        {
            var webhook = new CleanBackend.Domain.Webhooks.Webhook(user.Id, receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), ["job.completed"], true,
                factory.Services.GetRequiredService<IWebhookSecretProtector>().Protect("whsec_test"), DateTime.UtcNow);
            webhookId = webhook.Id;
            db.Webhooks.Add(webhook);
        });

        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        var delivery = (await client.WaitForFinishedDeliveriesAsync(webhookId)).EnumerateArray().Single();

        receiver.Received.ShouldBeEmpty();
        delivery.GetProperty("status").GetString().ShouldBe("failed");
        delivery.GetProperty("attempts").EnumerateArray().ShouldAllBe(a =>
            a.GetProperty("statusCode").ValueKind == System.Text.Json.JsonValueKind.Null && a.GetProperty("error").GetString()!.StartsWith("Refused: localhost has no public address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delivery_HeldByAnInstanceThatDied_IsSentOnceItsLeaseRunsOut()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery());
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var webhookId = (await client.CreateWebhookAsync(receiver.Url)).GetProperty("id").GetGuid();
        var now = DateTime.UtcNow;
        var held = new CleanBackend.Domain.Webhooks.WebhookDelivery(webhookId, "ping", null, now.AddSeconds(-1));
        var abandoned = new CleanBackend.Domain.Webhooks.WebhookDelivery(webhookId, "ping", null, now.AddSeconds(-1));
        await factory.SeedAsync(db =>
        {
            var webhook = db.Webhooks.Single(w => w.Id == webhookId);
            foreach (var delivery in new[] { held, abandoned })
            {
                delivery.SetBody(CleanBackend.Application.Webhooks.Common.WebhookBodies.RenderPing(delivery, webhook));
                db.WebhookDeliveries.Add(delivery);
            }

            // Another instance claimed both and stopped answering: one lease still runs, the other has run out.
            held.Claim("stopped-instance", now, TimeSpan.FromSeconds(3));
            abandoned.Claim("stopped-instance", now.AddSeconds(-1), TimeSpan.FromMilliseconds(500));
        });

        var first = (await receiver.WaitForAsync(1)).Single();
        var afterFirst = await client.DeliveriesAsync(webhookId);
        var both = await receiver.WaitForAsync(2);

        first.Id.ShouldBe(abandoned.Id.ToString());
        afterFirst.EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == held.Id).GetProperty("attempts").GetArrayLength().ShouldBe(0);
        both.Select(r => r.Id).ShouldBe([abandoned.Id.ToString(), held.Id.ToString()]);
        (await client.WaitForFinishedDeliveriesAsync(webhookId, 2)).EnumerateArray()
            .ShouldAllBe(d => d.GetProperty("status").GetString() == "succeeded" && d.GetProperty("attempts").GetArrayLength() == 1);
    }

    [Fact]
    public async Task Delivery_WhoseSecretCannotBeRead_FailsItsAttemptsReadably_AndSendsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = CleanBackendFactory.With(WebhookFlow.QuickDelivery(retrySchedule: "100ms"));
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        Guid webhookId = default;
        await factory.SeedAsync(db =>
        {
            // Protected with a key the ring no longer has.
            var webhook = new CleanBackend.Domain.Webhooks.Webhook(user.Id, receiver.Url, ["job.completed"], true, "CfDJ8-not-readable", DateTime.UtcNow);
            webhookId = webhook.Id;
            db.Webhooks.Add(webhook);
        });

        await client.PostAsync($"/api/webhooks/{webhookId}/test", null);
        var delivery = (await client.WaitForFinishedDeliveriesAsync(webhookId)).EnumerateArray().Single();

        receiver.Received.ShouldBeEmpty();
        delivery.GetProperty("status").GetString().ShouldBe("failed");
        delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("error").GetString())
            .ShouldBe(["The signing secret could not be read; rotate the webhook's secret.", "The signing secret could not be read; rotate the webhook's secret."]);
    }

    [Fact]
    public async Task FailedAndCanceledJobs_DeliverTheirEvents_ToTheWebhooksThatSubscribe()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var modelServer = new HeldModelServer();
        using var factory = CleanBackendFactory.WithModelServer(new FailingAfterFirstModelServer(modelServer), WebhookFlow.QuickDelivery());
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var all = (await client.CreateWebhookAsync(receiver.Url)).GetProperty("id").GetGuid();
        var completedOnly = (await client.CreateWebhookAsync(receiver.Url, "job.completed")).GetProperty("id").GetGuid();

        var canceled = await client.CreateJobAsync("a held cube");
        await modelServer.Started.WaitAsync(TimeSpan.FromSeconds(30));
        (await client.PostAsync($"/api/jobs/{canceled}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var failed = await client.CreateJobAsync("a failing cube");
        await client.WaitForJobAsync(failed, "failed");
        var deliveries = await client.WaitForFinishedDeliveriesAsync(all, 2);
        var received = await receiver.WaitForAsync(2);
        await Task.Delay(500);

        deliveries.EnumerateArray().Select(d => (d.GetProperty("event").GetString(), d.GetProperty("jobId").GetGuid()))
            .OrderBy(d => d.Item1).ShouldBe([("job.canceled", canceled), ("job.failed", failed)]);
        (await client.DeliveriesAsync(completedOnly)).GetArrayLength().ShouldBe(0);
        receiver.Received.Count.ShouldBe(2);
        var failedBody = received.Single(r => r.Json.GetProperty("type").GetString() == "job.failed").Json;
        var failedJob = await (await client.GetAsync($"/api/jobs/{failed}")).ReadJsonAsync(HttpStatusCode.OK);
        failedBody.GetProperty("data").GetProperty("job").GetRawText().ShouldBe(failedJob.GetRawText());
        failedBody.GetProperty("data").GetProperty("job").GetProperty("error").GetString().ShouldBe(FailingAfterFirstModelServer.Error);
        var canceledBody = received.Single(r => r.Json.GetProperty("type").GetString() == "job.canceled").Json;
        canceledBody.GetProperty("data").GetProperty("job").GetProperty("status").GetString().ShouldBe("canceled");
    }

    /// <summary>Holds its first generation (to be canceled), and refuses every later one.</summary>
    private sealed class FailingAfterFirstModelServer(HeldModelServer first) : IModelServer
    {
        public const string Error = "The model server refused the prompt.";

        private int _calls;

        public string Name => "failing";

        public bool AcceptsImages => true;

        public Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? first.GenerateAsync(request, progress, cancellationToken)
                : throw new ModelServerException(Error);

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
