using CleanBackend.Domain.Accounts;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.Property(t => t.TokenHash).HasMaxLength(128).IsRequired();
        builder.Property(t => t.RevokedReason).HasMaxLength(100);

        // Two requests exchanging or revoking the same token at once: the second one's update finds it changed.
        builder.Property(t => t.RevokedAt).IsConcurrencyToken();
        builder.Property(t => t.IpAddress).HasMaxLength(RefreshToken.IpAddressMaxLength);
        builder.Property(t => t.UserAgent).HasMaxLength(RefreshToken.UserAgentMaxLength);

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.FamilyId });
        builder.HasIndex(t => t.FamilyId);
        // The purge of expired tokens.
        builder.HasIndex(t => t.ExpiresAt);
    }
}
