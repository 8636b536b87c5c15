using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Jobs;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.Infrastructure.IntegrationTests.Jobs;

/// <summary>The queue's guarantees on real databases: one start per job, whatever the number of workers, and lease take-over.</summary>
public sealed class GenerationWorkerTests(DatabasesFixture databases) : IClassFixture<DatabasesFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task TwoWorkersOnOneDatabase_NeverStartTheSameJob(string provider)
    {
        var database = databases[provider];
        var userId = await AddQueuedJobsAsync(database, 30);
        var clock = new FakeTimeProvider(Now);
        var first = Worker(database, clock);
        var second = Worker(database, clock);

        async Task<List<Guid>> DrainAsync(GenerationWorker worker)
        {
            var started = new List<Guid>();
            while (await worker.TryStartNextAsync(CancellationToken.None) is { } id)
            {
                started.Add(id);
            }

            return started;
        }

        var results = await Task.WhenAll(Task.Run(() => DrainAsync(first)), Task.Run(() => DrainAsync(second)));

        var all = results.SelectMany(r => r).ToList();
        all.Count.ShouldBe(30);
        all.Distinct().Count().ShouldBe(30);
        await using var db = database.CreateContext();
        var jobs = await db.GenerationJobs.Where(j => j.UserId == userId).ToListAsync();
        jobs.ShouldAllBe(j => j.Status == JobStatus.Running && j.Attempts == 1);
        jobs.Count(j => j.LeaseOwner == first.WorkerId).ShouldBe(results[0].Count);
        jobs.Count(j => j.LeaseOwner == second.WorkerId).ShouldBe(results[1].Count);
    }

    [Fact]
    public async Task OnPostgres_AWorkerSkipsTheJobAnotherWorkerIsStarting_InsteadOfWaitingForIt()
    {
        if (!TestDatabase.AvailableProviders.Contains(DatabaseProvider.Postgres))
        {
            return; // CI always has PostgreSQL (CiRequirementsTests); SQLite runs one instance, so it has no row locks.
        }

        var database = databases[DatabaseProvider.Postgres];
        await AddQueuedJobsAsync(database, 2);
        await using var starting = database.CreateContext();
        await using var transaction = await starting.Database.BeginTransactionAsync();
        var held = (await starting.OldestQueuedJob().ToListAsync()).Single();

        // Without SKIP LOCKED the worker would wait for the other transaction, or race it for the same row.
        var started = await Worker(database, new FakeTimeProvider(Now)).TryStartNextAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        started.ShouldNotBeNull();
        started.ShouldNotBe(held.Id);
        await transaction.RollbackAsync();
        await using var db = database.CreateContext();
        var jobs = await db.GenerationJobs.Where(j => j.UserId == held.UserId).OrderBy(j => j.CreatedAt).ToListAsync();
        jobs.Select(j => (j.Id, j.Status)).ShouldBe([(held.Id, JobStatus.Queued), (started.Value, JobStatus.Running)]);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task AJobWhoseLeaseRanOut_IsTakenOverByAnotherWorker(string provider)
    {
        var database = databases[provider];
        var userId = await AddQueuedJobsAsync(database, 1);
        var clock = new FakeTimeProvider(Now);
        var crashed = Worker(database, clock);
        var survivor = Worker(database, clock);
        var jobId = (await crashed.TryStartNextAsync(CancellationToken.None))!.Value;

        clock.Advance(TimeSpan.FromMinutes(2));
        var returned = await survivor.ReturnExpiredLeasesAsync(CancellationToken.None);
        var restarted = await survivor.TryStartNextAsync(CancellationToken.None);

        returned.ShouldBeGreaterThanOrEqualTo(1);
        restarted.ShouldBe(jobId);
        await using var db = database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId && j.UserId == userId);
        job.Status.ShouldBe(JobStatus.Running);
        job.LeaseOwner.ShouldBe(survivor.WorkerId);
        job.Attempts.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task AJobInterruptedTooOften_Fails(string provider)
    {
        var database = databases[provider];
        await AddQueuedJobsAsync(database, 1);
        var clock = new FakeTimeProvider(Now);
        var worker = Worker(database, clock, maxAttempts: 2);
        var jobId = (await worker.TryStartNextAsync(CancellationToken.None))!.Value;
        clock.Advance(TimeSpan.FromMinutes(2));
        await worker.ReturnExpiredLeasesAsync(CancellationToken.None);
        (await worker.TryStartNextAsync(CancellationToken.None)).ShouldBe(jobId);

        clock.Advance(TimeSpan.FromMinutes(2));
        await worker.ReturnExpiredLeasesAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId);
        job.Status.ShouldBe(JobStatus.Failed);
        job.Error.ShouldBe("The job was interrupted 2 times and was given up.");
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task ALiveLease_IsLeftAlone(string provider)
    {
        var database = databases[provider];
        await AddQueuedJobsAsync(database, 1);
        var clock = new FakeTimeProvider(Now);
        var holder = Worker(database, clock);
        var jobId = (await holder.TryStartNextAsync(CancellationToken.None))!.Value;

        clock.Advance(TimeSpan.FromSeconds(10));
        await Worker(database, clock).ReturnExpiredLeasesAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        (await db.GenerationJobs.SingleAsync(j => j.Id == jobId)).LeaseOwner.ShouldBe(holder.WorkerId);
    }

    private static async Task<Guid> AddQueuedJobsAsync(TestDatabase database, int count)
    {
        await using var db = database.CreateContext();
        var user = await TestUsers.AddAsync(db);

        // Other tests' queued jobs would be taken too: start from an empty queue.
        foreach (var stale in await db.GenerationJobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running).ToListAsync())
        {
            stale.Cancel(Now.UtcDateTime);
        }

        for (var i = 0; i < count; i++)
        {
            db.GenerationJobs.Add(new GenerationJob(user.Id, $"job {i}", null, null, i, GenerationQuality.Draft, null, Now.UtcDateTime.AddSeconds(i)));
        }

        await db.SaveChangesAsync();
        return user.Id;
    }

    private static GenerationWorker Worker(TestDatabase database, TimeProvider clock, int maxAttempts = 3)
    {
        var services = new ServiceCollection();
        services.AddScoped<ApplicationDbContext>(_ => database.CreateContext());
        var provider = services.BuildServiceProvider();
        return new GenerationWorker(
            provider.GetRequiredService<IServiceScopeFactory>(),
            new InMemoryJobEventBus(),
            Options.Create(new JobQueueOptions { LeaseDuration = "30s", MaxAttempts = maxAttempts }),
            clock,
            NullLogger<GenerationWorker>.Instance);
    }
}
