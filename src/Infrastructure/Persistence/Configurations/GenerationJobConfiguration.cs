using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class GenerationJobConfiguration : IEntityTypeConfiguration<GenerationJob>
{
    public void Configure(EntityTypeBuilder<GenerationJob> builder)
    {
        builder.ToTable("GenerationJobs");
        builder.Property(j => j.Prompt).HasMaxLength(GenerationJob.PromptMaxLength).IsRequired();
        builder.Property(j => j.NegativePrompt).HasMaxLength(GenerationJob.PromptMaxLength);
        builder.Property(j => j.Title).HasMaxLength(GenerationJob.TitleMaxLength);
        builder.Property(j => j.Error).HasMaxLength(GenerationJob.ErrorMaxLength);
        // Every change is made against the status it was read with: a worker's progress cannot overwrite a
        // cancel, and two workers cannot both start the same queued job.
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(j => j.Quality).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.LeaseOwner).HasMaxLength(100);

        // Formats are a short list kept as "glb,obj,ply".
        builder.Property(j => j.Formats)
            .HasField("_formats")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(
                formats => string.Join(',', formats.Select(f => f.ToString().ToLowerInvariant())),
                value => value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => Enum.Parse<AssetFormat>(f, true)).ToList(),
                new ValueComparer<IReadOnlyList<AssetFormat>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (hash, f) => HashCode.Combine(hash, f)),
                    v => v.ToList()))
            .HasMaxLength(50);

        // At most four image ids, kept like the formats: "id,id" ("" for a text job), 4 × 36 characters and commas.
        builder.Property(j => j.ImageAssetIds)
            .HasField("_imageAssetIds")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(
                ids => string.Join(',', ids.Select(id => id.ToString("D"))),
                value => value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList(),
                new ValueComparer<IReadOnlyList<Guid>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (hash, id) => HashCode.Combine(hash, id)),
                    v => v.ToList()))
            .HasMaxLength(150)
            .IsRequired();

        // Jobs from before topology was a choice were all triangles.
        builder.Property(j => j.Topology).HasConversion<string>().HasMaxLength(20).HasDefaultValue(MeshTopology.Triangle);

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(j => j.UserId).OnDelete(DeleteBehavior.Cascade);

        // No cascade from chats: SQL Server allows one cascade path from a user; deleting a chat detaches its jobs itself.
        builder.HasOne<Chat>().WithMany().HasForeignKey(j => j.ChatId).OnDelete(DeleteBehavior.ClientSetNull);

        // The job list (newest first, by status, by chat) and per-user analytics.
        builder.HasIndex(j => new { j.UserId, j.CreatedAt });
        builder.HasIndex(j => new { j.UserId, j.Status, j.CreatedAt });
        builder.HasIndex(j => new { j.ChatId, j.CreatedAt });
        // The queue: oldest queued job first, and running jobs whose lease ran out.
        builder.HasIndex(j => new { j.Status, j.CreatedAt });
        builder.HasIndex(j => new { j.Status, j.LeaseExpiresAt });
    }
}
