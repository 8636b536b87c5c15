using CleanBackend.Domain.Credits;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class CreditEntryConfiguration : IEntityTypeConfiguration<CreditEntry>
{
    public void Configure(EntityTypeBuilder<CreditEntry> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Reason).HasMaxLength(CreditEntry.ReasonMaxLength);
        builder.Property(e => e.Reference).HasMaxLength(CreditEntry.ReferenceMaxLength);
        builder.Ignore(e => e.Balance);

        // The ledger goes with its user; it outlives the jobs it names (no foreign key to jobs).
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);

        // Two writers that start from the same balance claim the same sequence number: only one is saved.
        builder.HasIndex(e => new { e.UserId, e.Sequence }).IsUnique();

        // A monthly grant, and each job's reserve, spend and refund, happens once (NULL references never collide).
        builder.HasIndex(e => new { e.UserId, e.Reference }).IsUnique();

        // Spends of a period; a job's entries.
        builder.HasIndex(e => new { e.UserId, e.Kind, e.CreatedAt });
        builder.HasIndex(e => e.JobId);
    }
}
