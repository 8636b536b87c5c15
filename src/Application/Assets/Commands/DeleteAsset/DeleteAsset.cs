namespace CleanBackend.Application.Assets.Commands.DeleteAsset;

/// <summary>Deletes one of the caller's assets: the row, the messages' references to it, then the file.</summary>
public sealed record DeleteAssetCommand(Guid Id) : IRequest<Unit>;

public sealed class DeleteAssetCommandHandler(IApplicationDbContext db, IUser user, IFileStorage storage)
    : IRequestHandler<DeleteAssetCommand, Unit>
{
    public async Task<Unit> Handle(DeleteAssetCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var asset = await db.Assets.SingleOrDefaultAsync(a => a.Id == request.Id && a.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Asset");

        var messages = await db.Messages
            .Where(m => m.Attachments.Any(a => a.AssetId == asset.Id))
            .ToListAsync(cancellationToken);
        foreach (var message in messages)
        {
            message.RemoveAttachment(asset.Id);
        }

        db.Assets.Remove(asset);
        await db.SaveChangesAsync(cancellationToken);

        // The file goes only once the row is gone, so no row ever points at a missing file.
        await storage.DeleteAsync(asset.StorageKey, cancellationToken);
        return Unit.Value;
    }
}
