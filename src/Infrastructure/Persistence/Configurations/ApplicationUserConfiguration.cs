using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.Name).HasMaxLength(ApplicationUser.NameMaxLength).IsRequired();
        builder.Property(u => u.SettingsJson).HasMaxLength(10_000).IsRequired();

        // The admin user list: newest first, filtered by state.
        builder.HasIndex(u => u.CreatedAt);
        builder.HasIndex(u => new { u.IsActive, u.CreatedAt });
    }
}
