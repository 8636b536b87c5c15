using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Events;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Jobs;
using CleanBackend.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        job.Error.ShouldBe("The job was given up after 2 interrupted starts.");
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

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task AJobInAChatInterruptedTooOften_FailsAndAnswersInTheChatInTheSameSave(string provider)
    {
        var database = databases[provider];
        var (chatId, jobId) = await AddStartedChatJobAsync(database);
        var clock = new FakeTimeProvider(Now.AddMinutes(2));
        var saves = new RecordedSaves();
        var worker = Worker(database, clock, maxAttempts: 1, saves);

        var returned = await worker.ReturnExpiredLeasesAsync(CancellationToken.None);

        returned.ShouldBe(1);
        var failedAt = Now.AddMinutes(2).UtcDateTime;
        saves.Entries.ShouldBe([[(nameof(Chat), EntityState.Modified), (nameof(GenerationJob), EntityState.Modified), (nameof(Message), EntityState.Added)]]);
        await using var db = database.CreateContext();
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId);
        (job.Status, job.Error, job.CompletedAt).ShouldBe((JobStatus.Failed, "The job was given up after 1 interrupted start.", (DateTime?)failedAt));
        var message = await db.Messages.SingleAsync(m => m.ChatId == chatId);
        (message.Role, message.Content, message.CreatedAt).ShouldBe((MessageRole.Assistant, "The model could not be generated: The job was given up after 1 interrupted start.", failedAt));
        message.Attachments.ShouldBeEmpty();
        var chat = await db.Chats.SingleAsync(c => c.Id == chatId);
        (chat.MessageCount, chat.LastMessageAt).ShouldBe((1, (DateTime?)failedAt));
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task AJobInAChatWithStartsLeft_GoesBackToTheQueueWithoutAnAnswerInTheChat(string provider)
    {
        var database = databases[provider];
        var (chatId, jobId) = await AddStartedChatJobAsync(database);

        await Worker(database, new FakeTimeProvider(Now.AddMinutes(2)), maxAttempts: 2).ReturnExpiredLeasesAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        (await db.GenerationJobs.SingleAsync(j => j.Id == jobId)).Status.ShouldBe(JobStatus.Queued);
        (await db.Messages.CountAsync(m => m.ChatId == chatId)).ShouldBe(0);
        (await db.Chats.SingleAsync(c => c.Id == chatId)).MessageCount.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task AJobInAChatCanceledWhileGivenUp_StaysCanceledAndGetsNoFailureAnswer(string provider)
    {
        var database = databases[provider];
        var (chatId, jobId) = await AddStartedChatJobAsync(database);
        // The user cancels between the sweep's read and its save; the cancel's own answer is not this test's concern.
        var user = new BeforeFirstSave(database, async db => (await db.GenerationJobs.SingleAsync(j => j.Id == jobId)).Cancel(Now.UtcDateTime.AddSeconds(90)));

        await Worker(database, new FakeTimeProvider(Now.AddMinutes(2)), maxAttempts: 1, user).ReturnExpiredLeasesAsync(CancellationToken.None);

        user.Ran.ShouldBeTrue();
        await using var db = database.CreateContext();
        (await db.GenerationJobs.SingleAsync(j => j.Id == jobId)).Status.ShouldBe(JobStatus.Canceled);
        (await db.Messages.CountAsync(m => m.ChatId == chatId)).ShouldBe(0);
        (await db.Chats.SingleAsync(c => c.Id == chatId)).MessageCount.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task AConflictOnOneExpiredJob_DoesNotKeepTheNextFromFailingWithItsOneAnswer(string provider)
    {
        var database = databases[provider];
        var (_, canceledId) = await AddStartedChatJobAsync(database);
        var (chatId, jobId) = await AddStartedChatJobAsync(database, cancelOthers: false, startedAt: Now.AddSeconds(1));
        var user = new BeforeFirstSave(database, async db => (await db.GenerationJobs.SingleAsync(j => j.Id == canceledId)).Cancel(Now.UtcDateTime.AddSeconds(90)));
        var worker = Worker(database, new FakeTimeProvider(Now.AddMinutes(2)), maxAttempts: 1, user);

        await worker.ReturnExpiredLeasesAsync(CancellationToken.None);
        await worker.ReturnExpiredLeasesAsync(CancellationToken.None);

        user.Ran.ShouldBeTrue();
        await using var db = database.CreateContext();
        (await db.GenerationJobs.SingleAsync(j => j.Id == canceledId)).Status.ShouldBe(JobStatus.Canceled);
        (await db.GenerationJobs.SingleAsync(j => j.Id == jobId)).Status.ShouldBe(JobStatus.Failed);
        (await db.Messages.Where(m => m.ChatId == chatId).Select(m => m.Content).ToListAsync())
            .ShouldBe(["The model could not be generated: The job was given up after 1 interrupted start."]);
        (await db.Chats.SingleAsync(c => c.Id == chatId)).MessageCount.ShouldBe(1);
    }

    /// <summary>A job of a chat that asked for an answer there, started (at <see cref="Now"/> unless told) under a 30 s lease.</summary>
    private static async Task<(Guid ChatId, Guid JobId)> AddStartedChatJobAsync(TestDatabase database, bool cancelOthers = true, DateTimeOffset? startedAt = null)
    {
        await using var db = database.CreateContext();
        var user = await TestUsers.AddAsync(db);
        var started = (startedAt ?? Now).UtcDateTime;
        if (cancelOthers)
        {
            foreach (var stale in await db.GenerationJobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running).ToListAsync())
            {
                stale.Cancel(Now.UtcDateTime);
            }
        }

        var chat = new Chat(user.Id, "Castles", Now.UtcDateTime);
        var job = new GenerationJob(user.Id, "a stone castle", null, null, 1, GenerationQuality.Draft, chat.Id, Now.UtcDateTime, replyInChat: true);
        job.Start("crashed-worker", started, TimeSpan.FromSeconds(30));
        db.Chats.Add(chat);
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        return (chat.Id, job.Id);
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

    private static GenerationWorker Worker(TestDatabase database, TimeProvider clock, int maxAttempts = 3, params IInterceptor[] interceptors)
    {
        var services = new ServiceCollection();
        services.AddScoped<ApplicationDbContext>(_ => database.CreateContext(interceptors));
        services.AddScoped(sp => JobFinishingMediator.For(sp.GetRequiredService<ApplicationDbContext>()).Object);
        var provider = services.BuildServiceProvider();
        return new GenerationWorker(
            provider.GetRequiredService<IServiceScopeFactory>(),
            new InMemoryJobEventBus(),
            Options.Create(new JobQueueOptions { LeaseDuration = "30s", MaxAttempts = maxAttempts }),
            clock,
            NullLogger<GenerationWorker>.Instance);
    }

    /// <summary>What each save of the intercepted context writes: entity type and state, ordered by type name.</summary>
    private sealed class RecordedSaves : SaveChangesInterceptor
    {
        public List<List<(string Entity, EntityState State)>> Entries { get; } = [];

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Entries.Add([.. eventData.Context!.ChangeTracker.Entries()
                .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && !e.Metadata.IsOwned())
                .Select(e => (e.Metadata.ClrType.Name, e.State))
                .Order()]);
            return ValueTask.FromResult(result);
        }
    }
}
