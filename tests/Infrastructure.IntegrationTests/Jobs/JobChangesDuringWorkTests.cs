using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Jobs.Commands.CancelJob;
using CleanBackend.Application.Jobs.Commands.RenameJob;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Common;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CleanBackend.Infrastructure.IntegrationTests.Jobs;

/// <summary>A user's change to a job while a worker moves the same job on, on every database this run has.</summary>
public sealed class JobChangesDuringWorkTests(DatabasesFixture databases) : IClassFixture<DatabasesFixture>
{
    private static readonly DateTime T0 = new(2026, 5, 2, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime RequestTime = T0.AddMinutes(1);

    private readonly Mock<IMediator> _mediator = new();
    private readonly List<JobEvent> _published = [];

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Cancel_WhenAWorkerStartsTheJobBetweenReadAndSave_CancelsTheRunningJob(string provider)
    {
        var database = databases[provider];
        var (userId, jobId) = await AddQueuedJobAsync(database);
        var worker = new BeforeFirstSave(database, db => StartAsync(db, jobId));

        await using (var db = database.CreateContext(worker))
        {
            await CancelHandler(db, userId).Handle(new CancelJobCommand(jobId), CancellationToken.None);
        }

        worker.Ran.ShouldBeTrue();
        await using var check = database.CreateContext();
        var job = await check.GenerationJobs.SingleAsync(j => j.Id == jobId);
        (job.Status, job.StartedAt, job.CompletedAt).ShouldBe((JobStatus.Canceled, (DateTime?)T0.AddSeconds(30), (DateTime?)RequestTime));
        _published.ShouldBe([new JobEvent(JobEventTypes.Canceled, jobId, userId, JobStatus.Canceled, 0, null, RequestTime)]);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Cancel_WhenAWorkerCompletesTheJobBetweenReadAndSave_IsAConflictAndTheJobStaysCompleted(string provider)
    {
        var database = databases[provider];
        var (userId, jobId) = await AddQueuedJobAsync(database, started: true);
        var worker = new BeforeFirstSave(database, async db =>
        {
            var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId);
            job.Complete(T0.AddSeconds(50));
        });

        await using (var db = database.CreateContext(worker))
        {
            var refused = await Should.ThrowAsync<DomainException>(() => CancelHandler(db, userId).Handle(new CancelJobCommand(jobId), CancellationToken.None));
            refused.Message.ShouldBe("The job has already finished (completed) and cannot be canceled.");
        }

        await using var check = database.CreateContext();
        var completed = await check.GenerationJobs.SingleAsync(j => j.Id == jobId);
        (completed.Status, completed.Progress, completed.CompletedAt).ShouldBe((JobStatus.Completed, 100, (DateTime?)T0.AddSeconds(50)));
        _published.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Rename_WhenAWorkerStartsTheJobBetweenReadAndSave_RenamesTheRunningJob(string provider)
    {
        var database = databases[provider];
        var (userId, jobId) = await AddQueuedJobAsync(database);
        var worker = new BeforeFirstSave(database, db => StartAsync(db, jobId));

        await using (var db = database.CreateContext(worker))
        {
            var caller = Caller(userId);
            var handler = new RenameJobCommandHandler(db, caller, new FakeTimeProvider(new DateTimeOffset(RequestTime)), _mediator.Object);
            await handler.Handle(new RenameJobCommand("Desk lamp") { Id = jobId }, CancellationToken.None);
        }

        worker.Ran.ShouldBeTrue();
        await using var check = database.CreateContext();
        var job = await check.GenerationJobs.SingleAsync(j => j.Id == jobId);
        (job.Title, job.Status, job.LeaseOwner, job.UpdatedAt).ShouldBe(("Desk lamp", JobStatus.Running, "worker-1", RequestTime));
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Cancel_OfAJobInAChat_AnswersInTheChatThatItWasCanceled(string provider)
    {
        var database = databases[provider];
        var (userId, chatId, jobId) = await AddQueuedChatJobAsync(database);

        await using (var db = database.CreateContext())
        {
            await CancelHandler(db, userId).Handle(new CancelJobCommand(jobId), CancellationToken.None);
        }

        await AssertCanceledWithOneAnswerAsync(database, chatId, jobId);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Cancel_OfAJobInAChat_WhenAWorkerStartsItBetweenReadAndSave_AnswersInTheChatOnce(string provider)
    {
        var database = databases[provider];
        var (userId, chatId, jobId) = await AddQueuedChatJobAsync(database);
        var worker = new BeforeFirstSave(database, db => StartAsync(db, jobId));

        await using (var db = database.CreateContext(worker))
        {
            await CancelHandler(db, userId).Handle(new CancelJobCommand(jobId), CancellationToken.None);
        }

        worker.Ran.ShouldBeTrue();
        await AssertCanceledWithOneAnswerAsync(database, chatId, jobId);
    }

    private static async Task<(Guid UserId, Guid ChatId, Guid JobId)> AddQueuedChatJobAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var userId = (await TestUsers.AddAsync(db)).Id;
        var chat = new Chat(userId, "Lamps", T0);
        var job = new GenerationJob(userId, "a lamp", null, null, 1, GenerationQuality.Standard, chat.Id, T0, replyInChat: true);
        db.Chats.Add(chat);
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        return (userId, chat.Id, job.Id);
    }

    private static async Task AssertCanceledWithOneAnswerAsync(TestDatabase database, Guid chatId, Guid jobId)
    {
        await using var check = database.CreateContext();
        (await check.GenerationJobs.SingleAsync(j => j.Id == jobId)).Status.ShouldBe(JobStatus.Canceled);
        var message = await check.Messages.SingleAsync(m => m.ChatId == chatId);
        (message.Role, message.Content, message.CreatedAt).ShouldBe((MessageRole.Assistant, "The generation was canceled.", RequestTime));
        message.Attachments.ShouldBeEmpty();
        var chat = await check.Chats.SingleAsync(c => c.Id == chatId);
        (chat.MessageCount, chat.LastMessageAt).ShouldBe((1, (DateTime?)RequestTime));
    }

    private static async Task<(Guid UserId, Guid JobId)> AddQueuedJobAsync(TestDatabase database, bool started = false)
    {
        await using var db = database.CreateContext();
        var userId = (await TestUsers.AddAsync(db)).Id;
        var job = new GenerationJob(userId, "a lamp", null, null, 1, GenerationQuality.Standard, null, T0);
        if (started)
        {
            job.Start("worker-1", T0.AddSeconds(30), TimeSpan.FromMinutes(5));
        }

        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        return (userId, job.Id);
    }

    private static async Task StartAsync(ApplicationDbContext db, Guid jobId)
    {
        var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId);
        job.Start("worker-1", T0.AddSeconds(30), TimeSpan.FromMinutes(5));
    }

    private CancelJobCommandHandler CancelHandler(ApplicationDbContext db, Guid userId)
    {
        var events = new Mock<IJobEventBus>();
        events.Setup(e => e.Publish(It.IsAny<JobEvent>())).Callback<JobEvent>(_published.Add);
        JobFinishingMediator.HandleFinishing(_mediator, db);
        return new CancelJobCommandHandler(db, Caller(userId), events.Object, new FakeTimeProvider(new DateTimeOffset(RequestTime)), _mediator.Object);
    }

    private static IUser Caller(Guid userId)
    {
        var caller = new Mock<IUser>();
        caller.SetupGet(u => u.Id).Returns(userId);
        return caller.Object;
    }
}
