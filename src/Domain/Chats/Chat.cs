using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Chats;

/// <summary>A conversation of one user; it keeps its message count and last activity so lists need no aggregate query.</summary>
public class Chat : BaseEntity
{
    public const int TitleMaxLength = 200;
    public const string DefaultTitle = "New chat";

    private Chat()
    {
        Title = DefaultTitle;
    }

    public Chat(Guid userId, string? title, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        Title = string.IsNullOrWhiteSpace(title) ? DefaultTitle : Guard.NotBlank(title, nameof(title), TitleMaxLength);
        CreatedAt = now;
        UpdatedAt = now;
        LastActivityAt = now;
    }

    public Guid UserId { get; private set; }

    public string Title { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? LastMessageAt { get; private set; }

    public int MessageCount { get; private set; }

    /// <summary>Newest activity first: the last message, or the creation for an empty chat.</summary>
    public DateTime LastActivityAt { get; private set; }

    public void Rename(string title, DateTime now)
    {
        Title = Guard.NotBlank(title, nameof(title), TitleMaxLength);
        UpdatedAt = now;
    }

    public Message Post(MessageRole role, string content, IEnumerable<MessageAttachment> attachments, DateTime now)
    {
        var message = new Message(Id, role, content, attachments, now);
        MessageCount++;

        // A message stamped earlier than the last one (clock skew between instances) never moves activity back.
        if (LastMessageAt is null || now > LastMessageAt)
        {
            LastMessageAt = now;
            LastActivityAt = now;
            UpdatedAt = now;
        }
        return message;
    }
}
