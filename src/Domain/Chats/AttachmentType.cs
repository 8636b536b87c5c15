namespace CleanBackend.Domain.Chats;

public enum AttachmentType
{
    Image,
    Model,
}
