using CleanBackend.Application.Messages.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Messages.Commands.CreateMessage;

/// <summary>Posts the caller's message to one of their chats; attachments must be their own assets of the right kind.</summary>
public sealed record CreateMessageCommand(Guid ChatId, string Content, IReadOnlyList<NewAttachment>? Attachments) : IRequest<MessageDto>;

/// <param name="Type">image or model; must match the asset.</param>
/// <param name="AssetId">One of the caller's assets.</param>
public sealed record NewAttachment(AttachmentType Type, Guid AssetId);

public sealed class CreateMessageCommandValidator : AbstractValidator<CreateMessageCommand>
{
    public CreateMessageCommandValidator()
    {
        RuleFor(x => x.ChatId).NotEmpty();
        RuleFor(x => x.Content).NotEmpty().MaximumLength(Message.ContentMaxLength);
        RuleFor(x => x.Attachments)
            .Must(a => a is null || a.Count <= Message.MaxAttachments).WithMessage($"A message can have at most {Message.MaxAttachments} attachments.")
            .Must(a => a is null || a.Select(x => x.AssetId).Distinct().Count() == a.Count).WithMessage("An asset can be attached only once.");
        RuleForEach(x => x.Attachments).ChildRules(attachment =>
        {
            attachment.RuleFor(a => a.Type).IsInEnum();
            attachment.RuleFor(a => a.AssetId).NotEmpty();
        });
    }
}

public sealed class CreateMessageCommandHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer, TimeProvider clock)
    : IRequestHandler<CreateMessageCommand, MessageDto>
{
    public async Task<MessageDto> Handle(CreateMessageCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == request.ChatId && c.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Chat");

        var attachments = request.Attachments ?? [];
        var ids = attachments.Select(a => a.AssetId).ToList();
        var formats = await db.Assets.AsNoTracking()
            .Where(a => a.UserId == userId && ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Format, cancellationToken);
        foreach (var attachment in attachments)
        {
            // Someone else's asset is "not found", exactly like one that does not exist.
            if (!formats.TryGetValue(attachment.AssetId, out var format))
            {
                throw NotFoundException.For("Asset");
            }

            var kind = format.IsImage() ? AttachmentType.Image : AttachmentType.Model;
            if (kind != attachment.Type)
            {
                throw ValidationFailedException.ForField("attachments", $"Asset {attachment.AssetId} is a {kind.ToString().ToLowerInvariant()}, not a {attachment.Type.ToString().ToLowerInvariant()}.");
            }
        }

        var message = chat.Post(MessageRole.User, request.Content, attachments.Select(a => new MessageAttachment(a.Type, a.AssetId)), clock.GetUtcNow().UtcDateTime);
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return (await new[] { mapper.Map<MessageDto>(message) }.WithSignedUrlsAsync(db, signer, cancellationToken))[0];
    }
}
