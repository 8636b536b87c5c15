using CleanBackend.Domain.Webhooks;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("Webhooks");
        builder.Property(w => w.Url).HasMaxLength(WebhookUrl.MaxLength).IsRequired();
        builder.Property(w => w.ProtectedSecret).HasMaxLength(Webhook.ProtectedSecretMaxLength).IsRequired();
        builder.Property(w => w.DisabledReason).HasMaxLength(Webhook.DisabledReasonMaxLength);

        // Its owner's changes and a dispatcher's record of a delivery's outcome are made against the version they read.
        builder.Property(w => w.UpdatedAt).IsConcurrencyToken();

        // Events are a short list kept as "job.completed,job.failed".
        builder.Property(w => w.Events)
            .HasField("_events")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(
                events => string.Join(',', events),
                value => value.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (hash, e) => HashCode.Combine(hash, e.GetHashCode(StringComparison.Ordinal))),
                    v => v.ToList()))
            .HasMaxLength(200);

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(w => new { w.UserId, w.CreatedAt });
    }
}
