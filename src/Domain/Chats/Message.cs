using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Chats;

/// <summary>One message of a chat; created only through <see cref="Chat.Post"/> so the chat's counters stay right.</summary>
public class Message : BaseEntity
{
    public const int ContentMaxLength = 10_000;
    public const int MaxAttachments = 10;

    private readonly List<MessageAttachment> _attachments = [];

    private Message()
    {
        Content = string.Empty;
    }

    internal Message(Guid chatId, MessageRole role, string content, IEnumerable<MessageAttachment> attachments, DateTime now)
    {
        ChatId = chatId;
        Role = role;
        Content = Guard.NotBlank(content, nameof(content), ContentMaxLength);
        foreach (var attachment in attachments)
        {
            if (_attachments.Any(a => a.AssetId == attachment.AssetId))
            {
                throw new DomainException("An asset can be attached to a message only once.");
            }

            _attachments.Add(attachment);
        }

        if (_attachments.Count > MaxAttachments)
        {
            throw new DomainException($"A message can have at most {MaxAttachments} attachments.");
        }

        CreatedAt = now;
    }

    public Guid ChatId { get; private set; }

    public MessageRole Role { get; private set; }

    public string Content { get; private set; }

    public IReadOnlyList<MessageAttachment> Attachments => _attachments;

    public DateTime CreatedAt { get; private set; }

    /// <summary>The asset is being deleted; the message keeps its text.</summary>
    public void RemoveAttachment(Guid assetId) => _attachments.RemoveAll(a => a.AssetId == assetId);
}
