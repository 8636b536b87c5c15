using CleanBackend.Domain.Common;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Domain.UnitTests.Webhooks;

public class WebhookDeliveryTests
{
    private const string Dispatcher = "dispatcher-1";
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly IReadOnlyList<TimeSpan> Schedule = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];
    private static readonly Guid WebhookId = Guid.Parse("0197a1b2-0000-7000-8000-000000000003");
    private static readonly Guid JobId = Guid.Parse("0197a1b2-0000-7000-8000-000000000004");

    private static WebhookDelivery NewDelivery() => new(WebhookId, WebhookEvents.JobCompleted, JobId, Now);

    [Fact]
    public void New_IsPendingAndDueAtOnce()
    {
        var delivery = NewDelivery();

        delivery.Status.ShouldBe(WebhookDeliveryStatus.Pending);
        delivery.NextAttemptAt.ShouldBe(Now);
        delivery.IsDue(Now).ShouldBeTrue();
        delivery.Body.ShouldBeNull();
    }

    [Fact]
    public void New_NamesAJobForAJobEvent_AndNoneForAPing()
    {
        Should.Throw<ArgumentException>(() => new WebhookDelivery(WebhookId, WebhookEvents.JobFailed, null, Now));
        Should.Throw<ArgumentException>(() => new WebhookDelivery(WebhookId, WebhookEvents.Ping, JobId, Now));
        Should.Throw<ArgumentException>(() => new WebhookDelivery(WebhookId, "job.started", JobId, Now));
        new WebhookDelivery(WebhookId, WebhookEvents.Ping, null, Now).JobId.ShouldBeNull();
    }

    [Fact]
    public void Failures_AreRetriedAfterEachWaitOfTheSchedule_ThenTheDeliveryFails()
    {
        var delivery = NewDelivery();
        var now = Now;
        var dueTimes = new List<DateTime?>();
        for (var attempt = 0; attempt < Schedule.Count + 1; attempt++)
        {
            delivery.Claim(Dispatcher, now, Lease);
            delivery.RecordAttempt(Dispatcher, now, 500, 12, "The receiver answered 500.", Schedule, now.AddSeconds(1));
            dueTimes.Add(delivery.NextAttemptAt);
            now = delivery.NextAttemptAt ?? now;
        }

        dueTimes.ShouldBe([Now.AddSeconds(1 + 5), Now.AddSeconds(1 + 5 + 1 + 30), Now.AddSeconds(1 + 5 + 1 + 30 + 1 + 120), null]);
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Failed);
        delivery.CompletedAt.ShouldBe(Now.AddSeconds(1 + 5 + 1 + 30 + 1 + 120 + 1));
        delivery.Attempts.Select(a => a.Number).ShouldBe([1, 2, 3, 4]);
        delivery.Attempts.ShouldAllBe(a => !a.Succeeded && a.StatusCode == 500);
    }

    [Theory]
    [InlineData(200, WebhookDeliveryStatus.Succeeded)]
    [InlineData(204, WebhookDeliveryStatus.Succeeded)]
    [InlineData(299, WebhookDeliveryStatus.Succeeded)]
    [InlineData(301, WebhookDeliveryStatus.Pending)]
    [InlineData(404, WebhookDeliveryStatus.Pending)]
    [InlineData(null, WebhookDeliveryStatus.Pending)]
    public void OnlyA2xxAnswer_EndsTheDelivery(int? statusCode, WebhookDeliveryStatus status)
    {
        var delivery = NewDelivery();
        delivery.Claim(Dispatcher, Now, Lease);

        delivery.RecordAttempt(Dispatcher, Now, statusCode, 10, null, Schedule, Now);

        delivery.Status.ShouldBe(status);
        delivery.LeaseOwner.ShouldBeNull();
    }

    [Fact]
    public void Claim_TakesADueDelivery_UnderALeaseThatOthersWaitOut()
    {
        var delivery = NewDelivery();
        delivery.Claim(Dispatcher, Now, Lease);
        var version = delivery.Version;

        delivery.IsDue(Now.AddSeconds(59)).ShouldBeFalse();
        Should.Throw<DomainException>(() => delivery.Claim("dispatcher-2", Now.AddSeconds(30), Lease));
        delivery.Claim("dispatcher-2", Now.Add(Lease), Lease);

        delivery.LeaseOwner.ShouldBe("dispatcher-2");
        delivery.Version.ShouldBeGreaterThan(version);
        Should.Throw<DomainException>(() => delivery.RecordAttempt(Dispatcher, Now, 200, 1, null, Schedule, Now));
    }

    [Fact]
    public void Claim_RefusesADeliveryNotYetDue()
    {
        var delivery = NewDelivery();
        delivery.Claim(Dispatcher, Now, Lease);
        delivery.RecordAttempt(Dispatcher, Now, 500, 1, null, Schedule, Now);

        Should.Throw<DomainException>(() => delivery.Claim(Dispatcher, Now.AddSeconds(4), Lease));
        delivery.Claim(Dispatcher, Now.AddSeconds(5), Lease);
    }

    [Fact]
    public void Body_IsSetOnce()
    {
        var delivery = NewDelivery();
        delivery.SetBody("{}");

        Should.Throw<DomainException>(() => delivery.SetBody("{\"other\":1}"));
        delivery.Body.ShouldBe("{}");
    }

    [Fact]
    public void Redeliver_OfAFinishedDelivery_StartsTheScheduleAgain_KeepingItsAttempts()
    {
        var delivery = NewDelivery();
        foreach (var _ in Enumerable.Range(0, Schedule.Count + 1))
        {
            var due = delivery.NextAttemptAt!.Value;
            delivery.Claim(Dispatcher, due, Lease);
            delivery.RecordAttempt(Dispatcher, due, 500, 1, null, Schedule, due);
        }

        delivery.Redeliver(Now.AddDays(1));

        delivery.Status.ShouldBe(WebhookDeliveryStatus.Pending);
        delivery.NextAttemptAt.ShouldBe(Now.AddDays(1));
        delivery.Retries.ShouldBe(0);
        delivery.CompletedAt.ShouldBeNull();
        delivery.Attempts.Count.ShouldBe(Schedule.Count + 1);
    }

    [Fact]
    public void Redeliver_OfAPendingDelivery_IsRefused() =>
        Should.Throw<DomainException>(() => NewDelivery().Redeliver(Now)).Message.ShouldContain("still being attempted");
}
