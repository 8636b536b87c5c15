namespace CleanBackend.Domain.Chats;

public enum MessageRole
{
    User,
    Assistant,
    System,
}
