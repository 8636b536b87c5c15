using CleanBackend.Domain.Chats;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanBackend.Infrastructure.Persistence.Configurations;

public sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Content).HasMaxLength(Message.ContentMaxLength).IsRequired();
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Chat>().WithMany().HasForeignKey(m => m.ChatId).OnDelete(DeleteBehavior.Cascade);

        builder.OwnsMany(m => m.Attachments, attachment =>
        {
            attachment.ToTable("MessageAttachments");
            attachment.WithOwner().HasForeignKey("MessageId");
            // A message attaches an asset once, so the pair is the key.
            attachment.HasKey("MessageId", nameof(MessageAttachment.AssetId));
            attachment.Property(a => a.Type).HasConversion<string>().HasMaxLength(20);

            // No foreign key to Assets: SQL Server refuses a second cascade path from a user to an attachment;
            // deleting an asset removes its attachments itself. The index serves that lookup.
            attachment.HasIndex(a => a.AssetId);
        });
        builder.Navigation(m => m.Attachments).UsePropertyAccessMode(PropertyAccessMode.Field);

        // A chat's messages, oldest first.
        builder.HasIndex(m => new { m.ChatId, m.CreatedAt });
    }
}
