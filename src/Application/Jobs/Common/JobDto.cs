using CleanBackend.Application.Assets.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Common;

public sealed record JobDto
{
    public Guid Id { get; init; }

    public string Prompt { get; init; } = string.Empty;

    public string? NegativePrompt { get; init; }

    public string? Title { get; init; }

    public JobStatus Status { get; init; }

    public int Progress { get; init; }

    public IReadOnlyList<AssetFormat> Formats { get; init; } = [];

    /// <summary>The images the model is made from, in the order given (empty for a text job).</summary>
    public IReadOnlyList<Guid> ImageAssetIds { get; init; } = [];

    /// <summary>About how many triangles were asked for; null leaves it to the generator.</summary>
    public int? TargetPolycount { get; init; }

    public MeshTopology Topology { get; init; }

    public long Seed { get; init; }

    public GenerationQuality Quality { get; init; }

    public Guid? ChatId { get; init; }

    public string? Error { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? CompletedAt { get; init; }

    public long? DurationMs { get; init; }

    /// <summary>The generated files (empty until the job completes).</summary>
    public IReadOnlyList<AssetDto> Assets { get; init; } = [];

    /// <summary>A signed, expiring URL of the model's PNG preview, like the assets' <c>url</c>; null when the job has none.</summary>
    public string? ThumbnailUrl { get; init; }

    private sealed class Mapping : Profile
    {
        public Mapping() => CreateMap<GenerationJob, JobDto>().ForMember(d => d.Assets, o => o.Ignore()).ForMember(d => d.ThumbnailUrl, o => o.Ignore());
    }
}

/// <summary>The answer of a generation request.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Job">The queued job (or, for a repeated Idempotency-Key, the job the first request made).</param>
public sealed record JobCreatedResponse(bool Ok, JobDto Job);

internal static class JobAssets
{
    /// <summary>A job of <paramref name="ownerId"/> as GET /api/jobs/{id} answers it; null when there is no such job.</summary>
    public static async Task<JobDto?> FindForOwnerAsync(this IApplicationDbContext db, Guid ownerId, Guid jobId, IMapper mapper, IAssetUrlSigner signer, CancellationToken cancellationToken)
    {
        var job = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.Id == jobId && j.UserId == ownerId)
            .ProjectTo<JobDto>(mapper.ConfigurationProvider)
            .SingleOrDefaultAsync(cancellationToken);
        return job is null ? null : (await new[] { job }.WithAssetsAsync(db, mapper, signer, cancellationToken))[0];
    }

    /// <summary>Fills in each job's assets (with signed URLs) and thumbnail with one query for the whole page.</summary>
    public static async Task<IReadOnlyList<JobDto>> WithAssetsAsync(this IReadOnlyList<JobDto> jobs, IApplicationDbContext db, IMapper mapper, IAssetUrlSigner signer, CancellationToken cancellationToken)
    {
        var ids = jobs.Select(j => j.Id).ToList();
        if (ids.Count == 0)
        {
            return jobs;
        }

        var assets = (await db.Assets.AsNoTracking()
                .Where(a => a.JobId != null && ids.Contains(a.JobId.Value))
                .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
                .ProjectTo<AssetDto>(mapper.ConfigurationProvider)
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.JobId!.Value);
        return [.. jobs.Select(j => j with { Assets = [.. assets[j.Id].Select(a => a.WithSignedUrl(signer))] }).Select(j => j with { ThumbnailUrl = JobThumbnails.Of(j.Assets)?.Url })];
    }
}
