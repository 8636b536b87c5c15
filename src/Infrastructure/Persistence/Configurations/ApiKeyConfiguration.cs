using CleanBackend.Domain.ApiKeys;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixMaxLength).IsRequired();
        builder.Property(k => k.SecretHash).HasMaxLength(64).IsRequired();
        builder.Property(k => k.Mode).HasConversion<string>().HasMaxLength(10);

        // Scopes are a short list kept as "jobs:read jobs:write".
        builder.Property(k => k.Scopes)
            .HasConversion(
                scopes => string.Join(' ', scopes),
                value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (hash, s) => HashCode.Combine(hash, s)),
                    v => v.ToList()))
            .HasMaxLength(200);

        // Revoking a key twice at once: the second update finds it changed.
        builder.Property(k => k.RevokedAt).IsConcurrencyToken();

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);

        // Every request with a key looks it up by this.
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.HasIndex(k => new { k.UserId, k.RevokedAt });
    }
}
