using CleanBackend.Application.Assets.Common;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Assets.Commands.UploadAsset;

/// <summary>
/// Stores an uploaded image (png, jpg, webp; 10 MB) or model (glb, obj, ply; 50 MB). The format is read from the
/// bytes; a file name whose extension says otherwise is refused (415), an image that cannot be read or declares
/// more pixels than <see cref="ImageBudget"/> allows is refused (400), and nothing is left behind on failure.
/// </summary>
public sealed record UploadAssetCommand(Stream Content, string FileName) : IRequest<AssetDto>;

public sealed class UploadAssetCommandValidator : AbstractValidator<UploadAssetCommand>
{
    public UploadAssetCommandValidator()
    {
        RuleFor(x => x.FileName)
            .NotEmpty()
            .MaximumLength(Asset.FileNameMaxLength)
            .Must(name => name is null || (name.IndexOfAny(['/', '\\', '\0']) < 0 && !name.Contains("..", StringComparison.Ordinal) && !name.StartsWith('.')))
            .WithMessage("The file name must be a plain name, without a path.")
            .Must(name => name is null || name.All(c => !char.IsControl(c)))
            .WithMessage("The file name must not contain control characters.");
    }
}

public sealed class UploadAssetCommandHandler(IApplicationDbContext db, IUser user, IFileStorage storage, IMapper mapper, IAssetUrlSigner signer, IImageInspector images, TimeProvider clock)
    : IRequestHandler<UploadAssetCommand, AssetDto>
{
    public static readonly string[] Uploadable = ["png", "jpg", "webp", "glb", "obj", "ply"];

    public async Task<AssetDto> Handle(UploadAssetCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var head = new byte[AssetContent.HeadLength];
        var headLength = await request.Content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (headLength == 0)
        {
            throw ValidationFailedException.ForField("file", "The file is empty.");
        }

        var format = AssetContent.Detect(head.AsSpan(0, headLength));
        if (format is not { } detected || !Uploadable.Contains(detected.Extension()))
        {
            throw new UnsupportedMediaTypeException($"The content is not one of {string.Join(", ", Uploadable)}.");
        }

        var extension = Path.GetExtension(request.FileName);
        if (extension.Length > 0 && !(AssetFormats.TryParse(extension, out var named) && named == detected))
        {
            throw new UnsupportedMediaTypeException($"The file name says {extension.TrimStart('.')} but the content is {detected.Extension()}.");
        }

        // The bytes already read for sniffing go first, then the rest of the upload, straight to storage.
        await using var content = new ConcatenatedStream(new MemoryStream(head, 0, headLength, writable: false), request.Content);
        var stored = await storage.SaveAsync(content, detected.Extension(), detected.MaxBytes(), cancellationToken);
        try
        {
            if (detected.IsImage())
            {
                CheckImage(stored.Key);
            }

            var asset = new Asset(userId, null, detected, request.FileName.Trim(), stored.SizeBytes, stored.Sha256, stored.Key, clock.GetUtcNow().UtcDateTime);
            db.Assets.Add(asset);
            await db.SaveChangesAsync(cancellationToken);
            return mapper.Map<AssetDto>(asset).WithSignedUrl(signer);
        }
        catch
        {
            await storage.DeleteAsync(stored.Key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Reads the stored image's header (never its pixels), so a decompression bomb is refused before anything decodes it.</summary>
    private void CheckImage(string key)
    {
        using var stored = storage.OpenRead(key) ?? throw new InvalidOperationException("The file just stored is gone.");
        var dimensions = images.ReadDimensions(stored) ?? throw ValidationFailedException.ForField("file", "The image cannot be read.");
        if (ImageBudget.Refusal(dimensions.Width, dimensions.Height) is { } refusal)
        {
            throw ValidationFailedException.ForField("file", refusal);
        }
    }
}
