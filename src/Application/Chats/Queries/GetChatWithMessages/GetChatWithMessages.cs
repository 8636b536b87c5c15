using CleanBackend.Application.Messages.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Chats.Queries.GetChatWithMessages;

/// <summary>
/// One of the caller's chats with all its messages, oldest first; a message carrying a generated model gets that
/// model's files (mtl included) as URLs signed now, so an old chat opens with links that work.
/// </summary>
public sealed record GetChatWithMessagesQuery(Guid Id) : IRequest<ChatWithMessagesDto>;

public sealed record ChatWithMessagesDto(Guid Id, string Title, bool IsPinned, DateTime CreatedAt, DateTime UpdatedAt, int MessageCount, IReadOnlyList<ChatMessageDto> Messages);

/// <summary>A message, with the model it carries, if any.</summary>
public sealed record ChatMessageDto(Guid Id, MessageRole Role, string Content, DateTime CreatedAt, ModelFilesDto? Model);

/// <summary>A model's files; its id is the job that made it (the asset itself for an uploaded one).</summary>
public sealed record ModelFilesDto(Guid ModelId, string? GlbUrl, string? ObjUrl, string? PlyUrl, string? MtlUrl);

public sealed class GetChatWithMessagesQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetChatWithMessagesQuery, ChatWithMessagesDto>
{
    public async Task<ChatWithMessagesDto> Handle(GetChatWithMessagesQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var chat = await db.Chats.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.Id && c.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Chat");
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ChatId == chat.Id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ProjectTo<MessageDto>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);
        var files = await ModelFilesAsync(userId, messages, cancellationToken);

        return new ChatWithMessagesDto(chat.Id, chat.Title, chat.IsPinned, chat.CreatedAt, chat.UpdatedAt, chat.MessageCount, [.. messages.Select(m =>
            new ChatMessageDto(m.Id, m.Role, m.Content, m.CreatedAt, ModelOf(m, files)))]);
    }

    /// <summary>The attached models and every file made with them (the job's mtl is not attached), in two queries.</summary>
    private async Task<List<ModelFile>> ModelFilesAsync(Guid userId, List<MessageDto> messages, CancellationToken cancellationToken)
    {
        var attached = messages.SelectMany(m => m.Attachments).Where(a => a.Type == AttachmentType.Model).Select(a => a.AssetId).Distinct().ToList();
        if (attached.Count == 0)
        {
            return [];
        }

        var jobIds = await db.Assets.AsNoTracking()
            .Where(a => attached.Contains(a.Id) && a.JobId != null)
            .Select(a => a.JobId!.Value)
            .Distinct()
            .ToListAsync(cancellationToken);
        return await db.Assets.AsNoTracking()
            .Where(a => a.UserId == userId && (attached.Contains(a.Id) || (a.JobId != null && jobIds.Contains(a.JobId.Value))))
            .Select(a => new ModelFile(a.Id, a.JobId, a.Format, a.StorageKey))
            .ToListAsync(cancellationToken);
    }

    private ModelFilesDto? ModelOf(MessageDto message, List<ModelFile> files)
    {
        var first = message.Attachments.Where(a => a.Type == AttachmentType.Model)
            .Select(a => files.Find(f => f.Id == a.AssetId))
            .FirstOrDefault(f => f is not null);
        if (first is null)
        {
            return null;
        }

        var model = first.JobId is { } jobId ? files.Where(f => f.JobId == jobId).ToList() : [first];
        string? UrlOf(AssetFormat format) => model.Find(f => f.Format == format) is { } file ? signer.UrlFor(file.StorageKey) : null;
        return new ModelFilesDto(first.JobId ?? first.Id, UrlOf(AssetFormat.Glb), UrlOf(AssetFormat.Obj), UrlOf(AssetFormat.Ply), UrlOf(AssetFormat.Mtl));
    }

    private sealed record ModelFile(Guid Id, Guid? JobId, AssetFormat Format, string StorageKey);
}
