namespace CleanBackend.Domain.Chats;

/// <summary>A reference from a message to one of its author's assets.</summary>
public sealed record MessageAttachment(AttachmentType Type, Guid AssetId);
