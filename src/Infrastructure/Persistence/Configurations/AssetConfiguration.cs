using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class AssetConfiguration : IEntityTypeConfiguration<Asset>
{
    public void Configure(EntityTypeBuilder<Asset> builder)
    {
        builder.Property(a => a.Format).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.FileName).HasMaxLength(Asset.FileNameMaxLength).IsRequired();
        builder.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(a => a.StorageKey).HasMaxLength(500).IsRequired();
        builder.Ignore(a => a.ContentType);

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);

        // No cascade from jobs, for the same single-path rule: a job's assets are deleted with it by the handler.
        builder.HasOne<GenerationJob>().WithMany().HasForeignKey(a => a.JobId).OnDelete(DeleteBehavior.ClientSetNull);

        // The asset list (newest first, by job, by format) and assets-by-format analytics.
        builder.HasIndex(a => new { a.UserId, a.CreatedAt });
        builder.HasIndex(a => new { a.UserId, a.Format });

        // A job has one file of each format (its model's formats, the mtl, the png preview): what makes conversions
        // idempotent across requests and instances. Uploads have no job and are not limited by it.
        builder.HasIndex(a => new { a.JobId, a.Format }).IsUnique();
        builder.HasIndex(a => a.StorageKey).IsUnique();
    }
}
