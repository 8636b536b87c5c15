using CleanBackend.Domain.Chats;
using CleanBackend.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class ChatConfiguration : IEntityTypeConfiguration<Chat>
{
    public void Configure(EntityTypeBuilder<Chat> builder)
    {
        builder.Property(c => c.Title).HasMaxLength(Chat.TitleMaxLength).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);

        // The chat list: a user's chats, newest activity first.
        builder.HasIndex(c => new { c.UserId, c.LastActivityAt });
        // Analytics and admin statistics count and order chats by creation.
        builder.HasIndex(c => new { c.UserId, c.CreatedAt });
    }
}
