using CleanBackend.Domain.Webhooks;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.Property(d => d.EventType).HasMaxLength(WebhookDelivery.EventTypeMaxLength).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.LeaseOwner).HasMaxLength(WebhookDelivery.LeaseOwnerMaxLength);

        // Every change is made against the version it was read with: two dispatchers never hold one delivery.
        builder.Property(d => d.Version).IsConcurrencyToken();

        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Attempts).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Attempts).HasField("_attempts").UsePropertyAccessMode(PropertyAccessMode.Field);

        // A webhook's deliveries, newest first; the dispatcher's due deliveries.
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
    }
}
