using System.Collections.Concurrent;
using CleanBackend.Application.Jobs.Commands.ProcessJob;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Persistence;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Jobs;

/// <summary>
/// Works the durable job queue kept in the database. A job is taken by starting it under a lease in one update
/// guarded by its status, so two workers (of this or another instance) never run the same job. A running job's
/// lease is renewed, with its progress, until it finishes; a job whose lease ran out (its worker died) goes back
/// to the queue. On shutdown, running jobs are handed back at once.
/// </summary>
public sealed partial class GenerationWorker(
    IServiceScopeFactory scopes,
    IJobEventBus events,
    IOptions<JobQueueOptions> options,
    TimeProvider clock,
    ILogger<GenerationWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly SemaphoreSlim _wakeUp = new(0);

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Jobs this worker is running now.</summary>
    public int RunningCount => _running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        using var slots = new SemaphoreSlim(settings.Concurrency ?? JobQueueOptions.RemoteServerConcurrency);
        var listening = ListenAsync(stoppingToken);
        var runs = new ConcurrentDictionary<Task, bool>();
        var nextSweep = DateTime.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                Guid? jobId = null;
                try
                {
                    if (Now >= nextSweep)
                    {
                        await ReturnExpiredLeasesAsync(stoppingToken);
                        nextSweep = Now + (settings.Lease / 2);
                    }

                    jobId = await TryStartNextAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogQueueError(logger, ex);
                }

                if (jobId is not { } id)
                {
                    slots.Release();
                    await _wakeUp.WaitAsync(settings.Poll, stoppingToken);
                    continue;
                }

                var run = RunAsync(id, stoppingToken);
                runs[run] = true;
                _ = run.ContinueWith(
                    t =>
                    {
                        runs.TryRemove(t, out _);
                        slots.Release();
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the runs hand their jobs back to the queue.
        }

        await Task.WhenAll(runs.Keys);
        await listening;
    }

    /// <summary>Starts the oldest queued job under this worker's lease; null when there is none to take.</summary>
    internal async Task<Guid?> TryStartNextAsync(CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            try
            {
                return db.LocksQueuedJob
                    ? await db.Database.CreateExecutionStrategy().ExecuteAsync(() => StartLockedAsync(db, cancellationToken))
                    : await StartAsync(db, await db.OldestQueuedJob().FirstOrDefaultAsync(cancellationToken), cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker started it first; look again.
            }
        }

        return null;
    }

    // PostgreSQL and SQL Server: the row stays locked until the start is committed, and other workers skip it.
    private async Task<Guid?> StartLockedAsync(ApplicationDbContext db, CancellationToken cancellationToken)
    {
        db.DiscardChanges();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = (await db.OldestQueuedJob().ToListAsync(cancellationToken)).FirstOrDefault();
        var started = await StartAsync(db, job, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return started;
    }

    private async Task<Guid?> StartAsync(ApplicationDbContext db, GenerationJob? job, CancellationToken cancellationToken)
    {
        if (job is null)
        {
            return null;
        }

        job.Start(WorkerId, Now, options.Value.Lease);
        await db.SaveChangesAsync(cancellationToken);
        return job.Id;
    }

    /// <summary>Running jobs whose lease ran out go back to the queue, or fail after too many starts.</summary>
    internal async Task<int> ReturnExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var now = Now;
        var expired = await db.GenerationJobs
            .Where(j => j.Status == JobStatus.Running && j.LeaseExpiresAt < now)
            .OrderBy(j => j.LeaseExpiresAt)
            .Take(20)
            .ToListAsync(cancellationToken);
        foreach (var job in expired)
        {
            // A conflict on an earlier job cleared the context: track this one again before changing it, or its end
            // would not be saved while its answer in the chat would.
            if (db.Entry(job).State == EntityState.Detached)
            {
                db.Attach(job);
            }

            job.RetryOrFail(options.Value.MaxAttempts, $"The job was given up after {job.Attempts} interrupted {(job.Attempts == 1 ? "start" : "starts")}.", now);
            await scope.ServiceProvider.GetRequiredService<IMediator>().PublishFinishingAsync(job, [], now, cancellationToken);

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogLeaseExpired(logger, job.Id, job.Status);
                events.Publish(JobEvent.Of(job, job.Status == JobStatus.Failed ? JobEventTypes.Failed : JobEventTypes.Queued));
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else dealt with it (its worker renewed, or another worker returned it).
                db.DiscardChanges();
            }
        }

        return expired.Count;
    }

    private async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[jobId] = run;
        var progress = new LatestProgress();
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        var renewal = RenewLeaseAsync(jobId, progress, run, renewing.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            await mediator.Send(new ProcessGenerationJobCommand(jobId, WorkerId, progress, options.Value.MaxAttempts), run.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await HandBackAsync(jobId);
        }
        catch (OperationCanceledException)
        {
            // Canceled by its user (or taken over): the job's state is already decided elsewhere.
        }
        catch (Exception ex)
        {
            LogRunError(logger, ex, jobId);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
            _running.TryRemove(jobId, out _);
        }
    }

    /// <summary>Keeps the lease and saves progress; stops the run when the job is no longer this worker's to run.</summary>
    private async Task RenewLeaseAsync(Guid jobId, LatestProgress progress, CancellationTokenSource run, CancellationToken cancellationToken)
    {
        var every = options.Value.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, cancellationToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
                var job = await db.GenerationJobs.SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
                if (job is null || job.Status != JobStatus.Running || job.LeaseOwner != WorkerId)
                {
                    await run.CancelAsync();
                    return;
                }

                job.RenewLease(WorkerId, Now, options.Value.Lease);
                job.ReportProgress(progress.Value, Now);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    await run.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private async Task HandBackAsync(Guid jobId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var job = await db.GenerationJobs.SingleOrDefaultAsync(j => j.Id == jobId, CancellationToken.None);
            if (job is { Status: JobStatus.Running } && job.LeaseOwner == WorkerId)
            {
                job.ReturnToQueue(Now);
                await db.SaveChangesAsync(CancellationToken.None);
                events.Publish(JobEvent.Of(job, JobEventTypes.Queued));
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            // The lease will run out and another worker will take the job.
            LogRunError(logger, ex, jobId);
        }
    }

    /// <summary>A queued job wakes an idle worker at once; a cancel stops the run of that job here.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var jobEvent in events.SubscribeAllAsync(stoppingToken))
            {
                if (jobEvent.Type == JobEventTypes.Queued)
                {
                    _wakeUp.Release();
                }
                else if (jobEvent.Type == JobEventTypes.Canceled && _running.TryGetValue(jobEvent.JobId, out var run))
                {
                    await run.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override void Dispose()
    {
        _wakeUp.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The job queue could not be read")]
    private static partial void LogQueueError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} could not be run")]
    private static partial void LogRunError(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}'s lease ran out; it is now {Status}")]
    private static partial void LogLeaseExpired(ILogger logger, Guid jobId, JobStatus status);

    /// <summary>The generation's latest progress, handed from the generation to the lease renewals.</summary>
    private sealed class LatestProgress : IProgress<int>
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Report(int value) => Volatile.Write(ref _value, value);
    }
}
