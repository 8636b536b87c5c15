using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Audit;

/// <summary>An immutable record of an admin action or a security event.</summary>
public class AuditLog : BaseEntity
{
    public const int ActionMaxLength = 100;

    private AuditLog()
    {
        Action = string.Empty;
    }

    public AuditLog(string action, Guid? actorId, string? actorEmail, string? targetType, string? targetId, string? details, string? ipAddress, DateTime now)
    {
        Action = Guard.NotBlank(action, nameof(action), ActionMaxLength);
        ActorId = actorId;
        ActorEmail = Guard.Truncate(actorEmail, 256);
        TargetType = Guard.Truncate(targetType, 50);
        TargetId = Guard.Truncate(targetId, 100);
        Details = details;
        IpAddress = Guard.Truncate(ipAddress, 64);
        CreatedAt = now;
    }

    public Guid? ActorId { get; private set; }

    public string? ActorEmail { get; private set; }

    public string Action { get; private set; }

    public string? TargetType { get; private set; }

    public string? TargetId { get; private set; }

    /// <summary>JSON with what the action changed; never a password, code or token.</summary>
    public string? Details { get; private set; }

    public string? IpAddress { get; private set; }

    public DateTime CreatedAt { get; private set; }
}
