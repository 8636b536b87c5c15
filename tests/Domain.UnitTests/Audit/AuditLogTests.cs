using CleanBackend.Domain.Audit;

namespace CleanBackend.Domain.UnitTests.Audit;

public class AuditLogTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid ActorId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");

    [Fact]
    public void Constructor_RecordsEverything()
    {
        var log = new AuditLog("user.role_changed", ActorId, "admin@example.com", "User", "0197a1b2-0000-7000-8000-000000000009", """{"role":"Admin"}""", "203.0.113.7", Now);

        log.Id.ShouldNotBe(Guid.Empty);
        log.Id.Version.ShouldBe(7);
        log.Action.ShouldBe("user.role_changed");
        log.ActorId.ShouldBe(ActorId);
        log.ActorEmail.ShouldBe("admin@example.com");
        log.TargetType.ShouldBe("User");
        log.TargetId.ShouldBe("0197a1b2-0000-7000-8000-000000000009");
        log.Details.ShouldBe("""{"role":"Admin"}""");
        log.IpAddress.ShouldBe("203.0.113.7");
        log.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Constructor_ForAnonymousSecurityEvent_KeepsOptionalFieldsNull()
    {
        var log = new AuditLog("auth.login_failed", null, null, null, null, null, null, Now);

        log.Action.ShouldBe("auth.login_failed");
        log.ActorId.ShouldBeNull();
        log.ActorEmail.ShouldBeNull();
        log.TargetType.ShouldBeNull();
        log.TargetId.ShouldBeNull();
        log.Details.ShouldBeNull();
        log.IpAddress.ShouldBeNull();
        log.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Constructor_TrimsAction()
    {
        var log = new AuditLog("  auth.logout \n", null, null, null, null, null, null, Now);

        log.Action.ShouldBe("auth.logout");
    }

    [Fact]
    public void Constructor_AcceptsActionOfMaxLength()
    {
        var action = new string('a', AuditLog.ActionMaxLength);

        var log = new AuditLog(action, null, null, null, null, null, null, Now);

        log.Action.ShouldBe(action);
    }

    [Fact]
    public void Constructor_WhenActionTooLong_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => new AuditLog(new string('a', AuditLog.ActionMaxLength + 1), null, null, null, null, null, null, Now));

        ex.ParamName.ShouldBe("action");
        ex.Message.ShouldStartWith("action must be at most 100 characters.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenActionBlank_ThrowsArgumentException(string? action)
    {
        var ex = Should.Throw<ArgumentException>(() => new AuditLog(action!, ActorId, null, null, null, null, null, Now));

        ex.ParamName.ShouldBe("action");
        ex.Message.ShouldStartWith("action must not be empty.");
    }

    [Fact]
    public void AuditLog_ExposesNoSetters()
    {
        var writable = typeof(AuditLog).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);

        writable.ShouldBeEmpty();
    }
}
