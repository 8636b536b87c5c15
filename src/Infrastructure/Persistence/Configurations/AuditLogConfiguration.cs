using CleanBackend.Domain.Audit;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class AuditLogConfiguration : IEntityTypeConfiguration<AuditLog>
{
    public void Configure(EntityTypeBuilder<AuditLog> builder)
    {
        builder.Property(a => a.Action).HasMaxLength(AuditLog.ActionMaxLength).IsRequired();
        builder.Property(a => a.ActorEmail).HasMaxLength(256);
        builder.Property(a => a.TargetType).HasMaxLength(50);
        builder.Property(a => a.TargetId).HasMaxLength(100);
        builder.Property(a => a.IpAddress).HasMaxLength(64);

        // The audit log is kept when its actor is deleted, so no foreign key to users.
        // Browsing: newest first, by action and by actor.
        builder.HasIndex(a => a.CreatedAt);
        builder.HasIndex(a => new { a.Action, a.CreatedAt });
        builder.HasIndex(a => new { a.ActorId, a.CreatedAt });
    }
}
