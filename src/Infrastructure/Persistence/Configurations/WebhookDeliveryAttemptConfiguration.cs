using CleanBackend.Domain.Webhooks;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class WebhookDeliveryAttemptConfiguration : IEntityTypeConfiguration<WebhookDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryAttempt> builder)
    {
        builder.ToTable("WebhookDeliveryAttempts");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Error).HasMaxLength(WebhookDeliveryAttempt.ErrorMaxLength);
        builder.Ignore(a => a.Succeeded);
        builder.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique();
    }
}
