using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Domain.UnitTests.Webhooks;

public class WebhookTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");

    private static Webhook NewWebhook(params string[] events) =>
        new(UserId, "https://hooks.example.com/x", events.Length == 0 ? [WebhookEvents.JobCompleted] : events, true, "protected", Now);

    [Fact]
    public void New_KeepsDistinctKnownEvents()
    {
        var webhook = NewWebhook(WebhookEvents.JobCompleted, WebhookEvents.JobFailed, WebhookEvents.JobCompleted);

        webhook.Events.ShouldBe([WebhookEvents.JobCompleted, WebhookEvents.JobFailed]);
        webhook.Enabled.ShouldBeTrue();
        webhook.ConsecutiveFailures.ShouldBe(0);
        webhook.Subscribes(WebhookEvents.JobFailed).ShouldBeTrue();
        webhook.Subscribes(WebhookEvents.JobCanceled).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("job.started")]
    [InlineData("job.completed,job.started")]
    [InlineData(WebhookEvents.Ping)]
    public void New_RefusesNoOrUnknownEvents(string events) =>
        Should.Throw<ArgumentException>(() => new Webhook(UserId, "https://hooks.example.com/x", events.Split(',', StringSplitOptions.RemoveEmptyEntries), true, "protected", Now));

    [Fact]
    public void RecordDeliveryFailed_DisablesTheWebhook_AtTheLimit_AndSaysSoOnce()
    {
        var webhook = NewWebhook();

        webhook.RecordDeliveryFailed(3, Now).ShouldBeFalse();
        webhook.RecordDeliveryFailed(3, Now).ShouldBeFalse();
        webhook.RecordDeliveryFailed(3, Now.AddMinutes(1)).ShouldBeTrue();
        webhook.RecordDeliveryFailed(3, Now.AddMinutes(2)).ShouldBeFalse();

        webhook.Enabled.ShouldBeFalse();
        webhook.ConsecutiveFailures.ShouldBe(3);
        webhook.DisabledAt.ShouldBe(Now.AddMinutes(1));
        webhook.DisabledReason.ShouldBe("Disabled after 3 failed deliveries in a row.");
        webhook.Subscribes(WebhookEvents.JobCompleted).ShouldBeFalse();
    }

    [Fact]
    public void RecordDeliverySucceeded_StartsTheCountAgain()
    {
        var webhook = NewWebhook();
        webhook.RecordDeliveryFailed(3, Now);
        webhook.RecordDeliveryFailed(3, Now);

        webhook.RecordDeliverySucceeded(Now);
        webhook.RecordDeliveryFailed(3, Now).ShouldBeFalse();

        webhook.ConsecutiveFailures.ShouldBe(1);
        webhook.Enabled.ShouldBeTrue();
    }

    [Fact]
    public void Update_EnablingADisabledWebhook_ClearsItsFailures()
    {
        var webhook = NewWebhook();
        webhook.RecordDeliveryFailed(1, Now).ShouldBeTrue();

        webhook.Update(null, null, enabled: true, Now.AddHours(1));

        webhook.Enabled.ShouldBeTrue();
        webhook.ConsecutiveFailures.ShouldBe(0);
        webhook.DisabledReason.ShouldBeNull();
        webhook.DisabledAt.ShouldBeNull();
        webhook.UpdatedAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void Update_ChangesOnlyWhatIsGiven()
    {
        var webhook = NewWebhook();

        webhook.Update(null, [WebhookEvents.JobCanceled], null, Now);
        webhook.Update("https://hooks.example.com/y", null, false, Now);

        webhook.Url.ShouldBe("https://hooks.example.com/y");
        webhook.Events.ShouldBe([WebhookEvents.JobCanceled]);
        webhook.Enabled.ShouldBeFalse();
        webhook.DisabledReason.ShouldBeNull();
    }
}
