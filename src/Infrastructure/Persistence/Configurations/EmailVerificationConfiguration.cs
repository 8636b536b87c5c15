using CleanBackend.Domain.Accounts;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class EmailVerificationConfiguration : IEntityTypeConfiguration<EmailVerification>
{
    public void Configure(EntityTypeBuilder<EmailVerification> builder)
    {
        builder.Property(v => v.Email).HasMaxLength(256).IsRequired();
        builder.Property(v => v.Name).HasMaxLength(100).IsRequired();
        builder.Property(v => v.PasswordHash).HasMaxLength(1000).IsRequired();
        builder.Property(v => v.CodeHash).HasMaxLength(128).IsRequired();

        // One pending registration per e-mail; registering again reissues its code.
        builder.HasIndex(v => v.Email).IsUnique();
        builder.HasIndex(v => v.ExpiresAt);
    }
}
