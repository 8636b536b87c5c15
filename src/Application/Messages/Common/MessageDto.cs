using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Messages.Common;

public sealed record MessageDto
{
    public Guid Id { get; init; }

    public Guid ChatId { get; init; }

    public MessageRole Role { get; init; }

    public string Content { get; init; } = string.Empty;

    public IReadOnlyList<AttachmentDto> Attachments { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    private sealed class Mapping : Profile
    {
        public Mapping()
        {
            CreateMap<Message, MessageDto>();
            CreateMap<MessageAttachment, AttachmentDto>().ForMember(d => d.Url, o => o.Ignore());
        }
    }
}

public sealed record AttachmentDto
{
    public AttachmentType Type { get; init; }

    public Guid AssetId { get; init; }

    /// <summary>A signed, expiring download URL of the asset.</summary>
    public string? Url { get; init; }
}

internal static class MessageUrls
{
    /// <summary>Gives every attachment the signed URL of its asset, with one query for all of them.</summary>
    public static async Task<IReadOnlyList<MessageDto>> WithSignedUrlsAsync(this IReadOnlyList<MessageDto> messages, IApplicationDbContext db, IAssetUrlSigner signer, CancellationToken cancellationToken)
    {
        var ids = messages.SelectMany(m => m.Attachments).Select(a => a.AssetId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return messages;
        }

        var keys = await db.Assets.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.StorageKey, cancellationToken);
        return [.. messages.Select(m => m with
        {
            Attachments = [.. m.Attachments.Select(a => a with { Url = keys.TryGetValue(a.AssetId, out var key) ? signer.UrlFor(key) : null })],
        })];
    }
}
