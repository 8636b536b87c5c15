using CleanBackend.Domain.Jobs;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class JobRequestKeyConfiguration : IEntityTypeConfiguration<JobRequestKey>
{
    public void Configure(EntityTypeBuilder<JobRequestKey> builder)
    {
        builder.HasKey(k => new { k.UserId, k.Key });
        builder.Property(k => k.Key).HasMaxLength(JobRequestKey.KeyMaxLength);

        // Through the job only: a user's deletion reaches the keys by way of their jobs (one cascade path).
        builder.HasOne<GenerationJob>().WithMany().HasForeignKey(k => k.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.JobId);
    }
}
