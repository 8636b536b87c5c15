using System.Text.Json.Serialization;
using CleanBackend.Application.Assets.Common;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Jobs.Commands.ConvertJobModel;

/// <summary>
/// Makes another format of one of the caller's completed jobs from its glb, stored as assets of the job (an obj with
/// its mtl). Idempotent: a format the job already has is answered with its assets, and of two requests at once only
/// one stores any (the database holds one asset per job and format).
/// </summary>
/// <param name="Format">glb, obj, ply or stl.</param>
public sealed record ConvertJobModelCommand(AssetFormat? Format) : IRequest<ConvertedModelResponse>
{
    [JsonIgnore]
    public Guid Id { get; init; }
}

/// <summary>The answer of a conversion.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Assets">The model in the format asked for, then its companion (an obj's mtl).</param>
public sealed record ConvertedModelResponse(bool Ok, IReadOnlyList<AssetDto> Assets)
{
    /// <summary>Whether this request stored them (201), rather than finding them already there (200).</summary>
    [JsonIgnore]
    public bool Created { get; init; }
}

public sealed class ConvertJobModelCommandValidator : AbstractValidator<ConvertJobModelCommand>
{
    public ConvertJobModelCommandValidator()
    {
        RuleFor(x => x.Format)
            .NotNull().WithMessage("Format is required: one of glb, obj, ply, stl.")
            .Must(f => f is null || (Enum.IsDefined(f.Value) && f.Value.IsGeneratable()))
            .WithMessage("Format must be one of glb, obj, ply, stl.");
    }
}

public sealed class ConvertJobModelCommandHandler(
    IApplicationDbContext db, IUser user, IFileStorage storage, IModelConverter converter, IMapper mapper, IAssetUrlSigner signer, TimeProvider clock)
    : IRequestHandler<ConvertJobModelCommand, ConvertedModelResponse>
{
    public async Task<ConvertedModelResponse> Handle(ConvertJobModelCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var format = request.Format!.Value;
        var job = await db.GenerationJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == request.Id && j.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Job");
        job.EnsureConvertible();

        if (await ExistingAsync(job.Id, format, cancellationToken) is { Count: > 0 } existing)
        {
            return new ConvertedModelResponse(true, existing);
        }

        var glb = await db.Assets.AsNoTracking()
            .Where(a => a.JobId == job.Id && a.Format == AssetFormat.Glb)
            .OrderBy(a => a.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new ConflictException("The job has no glb model to convert from.");

        var stored = new List<string>();
        try
        {
            using var output = await ConvertAsync(glb, format, cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;

            // The companion of a model whose main file was deleted (an mtl without its obj) makes way for the new pair. The
            // model itself is never replaced: another request's, saved meanwhile, makes this save fail and is the answer.
            var companions = output.Files.Select(f => f.Format).Where(f => f != format).ToList();
            var leftovers = await db.Assets.Where(a => a.JobId == job.Id && companions.Contains(a.Format)).ToListAsync(cancellationToken);
            db.Assets.RemoveRange(leftovers);

            var assets = new List<Asset>();
            foreach (var file in output.Files)
            {
                await using var content = file.Open();
                var saved = await SaveAsync(content, file.Format, cancellationToken);
                stored.Add(saved.Key);
                assets.Add(new Asset(job.UserId, job.Id, file.Format, file.FileName, saved.SizeBytes, saved.Sha256, saved.Key, now));
            }

            db.Assets.AddRange(assets);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var leftover in leftovers)
            {
                await storage.DeleteAsync(leftover.StorageKey, CancellationToken.None);
            }

            return new ConvertedModelResponse(true, [.. assets.Select(a => mapper.Map<AssetDto>(a).WithSignedUrl(signer))]) { Created = true };
        }
        catch (DbUpdateException)
        {
            // Most likely another request converted the same model at the same moment: then its assets are the answer.
            await DeleteAsync(stored);
            db.DiscardChanges();
            if (await ExistingAsync(job.Id, format, CancellationToken.None) is { Count: > 0 } first)
            {
                return new ConvertedModelResponse(true, first);
            }

            throw;
        }
        catch
        {
            await DeleteAsync(stored);
            throw;
        }
    }

    /// <summary>The job's assets of <paramref name="format"/> and its companion, the format's first; none when it has no such model.</summary>
    private async Task<IReadOnlyList<AssetDto>> ExistingAsync(Guid jobId, AssetFormat format, CancellationToken cancellationToken)
    {
        AssetFormat[] formats = format == AssetFormat.Obj ? [AssetFormat.Obj, AssetFormat.Mtl] : [format];
        var assets = await db.Assets.AsNoTracking()
            .Where(a => a.JobId == jobId && formats.Contains(a.Format))
            .ProjectTo<AssetDto>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);
        return assets.Any(a => a.Format == format)
            ? [.. assets.OrderBy(a => Array.IndexOf(formats, a.Format)).Select(a => a.WithSignedUrl(signer))]
            : [];
    }

    private async Task<GenerationOutput> ConvertAsync(Asset glb, AssetFormat format, CancellationToken cancellationToken)
    {
        await using var source = storage.OpenRead(glb.StorageKey) ?? throw new ConflictException("The job's glb file is missing; it cannot be converted.");
        try
        {
            return await converter.ConvertAsync(source, format, Path.GetFileNameWithoutExtension(glb.FileName), cancellationToken);
        }
        catch (UnreadableModelException e)
        {
            throw new ConflictException($"The job's glb cannot be converted. {e.Message}", e);
        }
    }

    private async Task<StoredFile> SaveAsync(Stream content, AssetFormat format, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.SaveAsync(content, format.Extension(), format.MaxBytes(), cancellationToken);
        }
        catch (PayloadTooLargeException e)
        {
            throw new ConflictException($"The model as {format.Extension()} would be larger than the {format.MaxBytes() / (1024 * 1024)} MB a model may be.", e);
        }
    }

    private async Task DeleteAsync(List<string> keys)
    {
        foreach (var key in keys)
        {
            await storage.DeleteAsync(key, CancellationToken.None);
        }
    }
}
