using CleanBackend.Application.Assets.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace CleanBackend.Application.Jobs.Common;

/// <summary>
/// Every completed job has a preview picture, its png asset (the job's <c>thumbnailUrl</c>): the model server's own
/// when it made one (the built-in generator does), else one drawn from the model it delivered. A model that cannot
/// be drawn costs the job its thumbnail, never its completion.
/// </summary>
public sealed partial class JobThumbnails(IModelPreviewRenderer renderer, IFileStorage storage, ILogger<JobThumbnails> logger)
{
    public const string FileName = "preview.png";

    /// <summary>The job's thumbnail among its assets: its png.</summary>
    public static AssetDto? Of(IEnumerable<AssetDto> assets) => assets.FirstOrDefault(a => a.Format == AssetFormat.Png);

    /// <summary>
    /// Draws and stores a preview of the delivered model when the delivery has none; the stored asset (not yet added to
    /// the database), or null when there is nothing to draw or drawing failed (logged as a warning).
    /// </summary>
    public async Task<Asset?> DrawAsync(GenerationJob job, IReadOnlyList<GeneratedFile> files, DateTime now, CancellationToken cancellationToken)
    {
        if (files.Any(f => f.Format == AssetFormat.Png))
        {
            return null;
        }

        var source = renderer.Readable.Select(format => files.FirstOrDefault(f => f.Format == format)).FirstOrDefault(f => f is not null);
        if (source is null)
        {
            LogNothingToDraw(logger, job.Id, string.Join(',', files.Select(f => f.Format.Extension())));
            return null;
        }

        try
        {
            byte[] png;
            await using (var model = source.Open())
            {
                png = await renderer.RenderPngAsync(model, source.Format, cancellationToken);
            }

            using var content = new MemoryStream(png, writable: false);
            var saved = await storage.SaveAsync(content, AssetFormat.Png.Extension(), AssetFormat.Png.MaxBytes(), cancellationToken);
            return new Asset(job.UserId, job.Id, AssetFormat.Png, FileName, saved.SizeBytes, saved.Sha256, saved.Key, now);
        }
        catch (UnreadableModelException e)
        {
            LogUnreadable(logger, job.Id, source.FileName, e.Message);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e, job.Id, source.FileName);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} completes without a thumbnail: {FileName} cannot be drawn: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, Guid jobId, string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} completes without a thumbnail: drawing {FileName} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid jobId, string fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} completes without a thumbnail: none of its files ({Formats}) can be drawn")]
    private static partial void LogNothingToDraw(ILogger logger, Guid jobId, string formats);
}
