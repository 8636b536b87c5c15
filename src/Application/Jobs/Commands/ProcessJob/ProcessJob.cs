using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanBackend.Application.Jobs.Commands.ProcessJob;

/// <summary>
/// Runs a job a worker has started: the model server makes the files, they are stored (with a preview drawn from
/// the model when the server made none), and in one transaction the job completes with one asset per file (and, in a
/// chat, an assistant message with the model; a failure is answered there too). Canceling the
/// token stops the generation; the worker decides whether that was the user (the job is canceled already) or a
/// shutdown (the job goes back to the queue).
/// </summary>
/// <param name="JobId">The job, already started by <paramref name="WorkerId"/>.</param>
/// <param name="WorkerId">The worker holding the job's lease.</param>
/// <param name="Progress">Where the latest progress goes, for the worker's lease renewals to save.</param>
/// <param name="MaxAttempts">How many times a job may be started; a job the model server was unavailable for goes back to the queue until then.</param>
public sealed record ProcessGenerationJobCommand(Guid JobId, string WorkerId, IProgress<int> Progress, int MaxAttempts = 1) : IRequest<JobStatus>;

public sealed partial class ProcessGenerationJobCommandHandler(
    IApplicationDbContext db,
    IModelServer configuredModelServer,
    [FromKeyedServices(ModelServerKeys.BuiltIn)] IModelServer builtInGenerator,
    IFileStorage storage,
    IAssetUrlSigner signer,
    IJobEventBus events,
    JobNotifications notifications,
    JobThumbnails thumbnails,
    IMediator publisher,
    TimeProvider clock,
    ILogger<ProcessGenerationJobCommandHandler> logger) : IRequestHandler<ProcessGenerationJobCommand, JobStatus>
{
    public async Task<JobStatus> Handle(ProcessGenerationJobCommand request, CancellationToken cancellationToken)
    {
        var job = await db.GenerationJobs.SingleOrDefaultAsync(j => j.Id == request.JobId, cancellationToken);
        if (job is null || job.Status != JobStatus.Running || job.LeaseOwner != request.WorkerId)
        {
            return job?.Status ?? JobStatus.Canceled;
        }

        // A test API key's job never reaches a remote model server: the built-in generator makes it, free.
        var modelServer = job.IsTest ? builtInGenerator : configuredModelServer;
        events.Publish(JobEvent.Of(job, JobEventTypes.Started));
        var progress = new Progress(job, request.Progress, events, clock);
        try
        {
            using var output = await modelServer.GenerateAsync(await RequestForAsync(job, cancellationToken), progress, cancellationToken);
            await CompleteAsync(job, output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DbUpdateConcurrencyException)
        {
            // The job changed under us (canceled by its user): its files are already cleaned up.
            return JobStatus.Canceled;
        }
        catch (ModelServerUnavailableException ex)
        {
            return await RetryLaterAsync(job.Id, modelServer.Name, ex, request.MaxAttempts, cancellationToken);
        }
        catch (Exception ex)
        {
            return await FailAsync(job.Id, modelServer.Name, ex, cancellationToken);
        }

        return job.Status;
    }

    /// <summary>
    /// What the model server is asked for: the job's inputs, its images read from storage when the server wants the
    /// bytes, or fetched by the server through signed links. An image deleted since the job was queued fails the job.
    /// </summary>
    private async Task<GenerationRequest> RequestForAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        var images = new List<GenerationImage>();
        if (job.ImageAssetIds.Count > 0)
        {
            var ids = job.ImageAssetIds.ToArray();
            var assets = await db.Assets.AsNoTracking()
                .Where(a => ids.Contains(a.Id) && a.UserId == job.UserId)
                .ToDictionaryAsync(a => a.Id, cancellationToken);
            foreach (var id in job.ImageAssetIds)
            {
                if (!assets.TryGetValue(id, out var asset) || !asset.Format.IsImage())
                {
                    throw new ModelServerException("An input image of this job was deleted before the generation started.");
                }

                var key = asset.StorageKey;
                images.Add(new GenerationImage(
                    asset.Id,
                    asset.Format,
                    new Uri(signer.UrlFor(key), UriKind.Absolute),
                    _ => Task.FromResult(storage.OpenRead(key) ?? throw new ModelServerException("An input image of this job is no longer stored."))));
            }
        }

        return new GenerationRequest(job.Id, job.Prompt, job.NegativePrompt, job.Formats, job.Seed, job.Quality, images, job.TargetPolycount, job.Topology);
    }

    private async Task CompleteAsync(GenerationJob job, GenerationOutput output, CancellationToken cancellationToken)
    {
        var stored = new List<string>();
        try
        {
            var assets = new List<Asset>();
            foreach (var file in output.Files)
            {
                await using var content = file.Open();
                var saved = await storage.SaveAsync(content, file.Format.Extension(), file.Format.MaxBytes(), cancellationToken);
                stored.Add(saved.Key);
                assets.Add(new Asset(job.UserId, job.Id, file.Format, file.FileName, saved.SizeBytes, saved.Sha256, saved.Key, Now));
            }

            if (await thumbnails.DrawAsync(job, output.Files, Now, cancellationToken) is { } thumbnail)
            {
                stored.Add(thumbnail.StorageKey);
                assets.Add(thumbnail);
            }

            db.Assets.AddRange(assets);
            job.Complete(Now);
            await publisher.PublishFinishingAsync(job, assets, Now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            // Nothing half written: without the rows, the files go too.
            foreach (var key in stored)
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }

            throw;
        }

        events.Publish(JobEvent.Of(job, JobEventTypes.Completed));
        await notifications.JobFinishedAsync(job, cancellationToken);
    }

    /// <summary>Records the failure on the job as it now is in the database (the unit of work that failed is dropped).</summary>
    private async Task<JobStatus> FailAsync(Guid jobId, string modelServer, Exception exception, CancellationToken cancellationToken)
    {
        var reason = exception is ModelServerException ? exception.Message : "Generation failed unexpectedly.";
        LogFailed(logger, exception, jobId, modelServer);
        db.DiscardChanges();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        if (job.IsFinished)
        {
            return job.Status;
        }

        job.Fail(reason, Now);
        await publisher.PublishFinishingAsync(job, [], Now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(JobEvent.Of(job, JobEventTypes.Failed));
        await notifications.JobFinishedAsync(job, cancellationToken);
        return job.Status;
    }

    /// <summary>
    /// The model server is unavailable for a while (not the job's fault): the job waits out the break, still running
    /// under its lease, then goes back to the queue, or fails with the reason once it has used its starts.
    /// </summary>
    private async Task<JobStatus> RetryLaterAsync(Guid jobId, string modelServer, ModelServerUnavailableException exception, int maxAttempts, CancellationToken cancellationToken)
    {
        LogUnavailable(logger, jobId, modelServer, (long)exception.RetryAfter.TotalMilliseconds);
        await Task.Delay(exception.RetryAfter, clock, cancellationToken);
        db.DiscardChanges();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        if (job.Status != JobStatus.Running)
        {
            return job.Status;
        }

        job.RetryOrFail(maxAttempts, exception.Message, Now);
        await publisher.PublishFinishingAsync(job, [], Now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (job.Status == JobStatus.Failed)
        {
            events.Publish(JobEvent.Of(job, JobEventTypes.Failed));
            await notifications.JobFinishedAsync(job, cancellationToken);
        }
        else
        {
            events.Publish(JobEvent.Of(job, JobEventTypes.Queued));
        }

        return job.Status;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} waits {DelayMs} ms: the {ModelServer} model server is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Guid jobId, string modelServer, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed on the {ModelServer} model server")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid jobId, string modelServer);

    /// <summary>Passes progress on to the worker and to the job's live listeners (only when it moves).</summary>
    private sealed class Progress(GenerationJob job, IProgress<int> worker, IJobEventBus events, TimeProvider clock) : IProgress<int>
    {
        private readonly Lock _gate = new();
        private int _last = -1;

        public void Report(int value)
        {
            // 100 is said by the completed event, once the files are stored.
            var percent = Math.Clamp(value, 0, 99);
            lock (_gate)
            {
                if (percent <= _last)
                {
                    return;
                }

                _last = percent;
            }

            worker.Report(percent);
            events.Publish(new JobEvent(JobEventTypes.Progress, job.Id, job.UserId, JobStatus.Running, percent, null, clock.GetUtcNow().UtcDateTime));
        }
    }
}
