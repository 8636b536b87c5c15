namespace CleanBackend.Domain.Common;

/// <summary>An entity identified by a version 7 GUID, so that ids sort by creation time.</summary>
public abstract class BaseEntity
{
    public Guid Id { get; protected init; } = Guid.CreateVersion7();
}
