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

        // The ledger goes with its user; it outlives the jobs it names (no foreign key to jobs).
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);

        // Two debits that start from the same balance claim the same sequence number: only one is saved. Other
        // entries have none (NULLs never collide).
        builder.HasIndex(e => new { e.UserId, e.Sequence }).IsUnique();

        // A monthly grant, and each job's reserve, spend and refund, happens once (NULL references never collide).
        builder.HasIndex(e => new { e.UserId, e.Reference }).IsUnique();

        // The balance (sums by kind), spends of a period, the history newest first; a job's entries.
        builder.HasIndex(e => new { e.UserId, e.Kind, e.CreatedAt });
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
        builder.HasIndex(e => e.JobId);
    }
}
