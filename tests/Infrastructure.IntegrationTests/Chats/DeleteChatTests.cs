using CleanBackend.Application.Chats.Commands.DeleteChat;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CleanBackend.Infrastructure.IntegrationTests.Chats;

/// <summary>Deleting a chat while the generation worker moves one of its jobs on, on every database this run has.</summary>
public sealed class DeleteChatTests(DatabasesFixture databases) : IClassFixture<DatabasesFixture>
{
    private static readonly DateTime T0 = new(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Delete_WhenAWorkerStartsItsJobBetweenReadAndSave_DeletesTheChatAndDetachesTheRunningJob(string provider)
    {
        var database = databases[provider];
        var (userId, chatId, jobId) = await AddChatWithQueuedJobAsync(database);
        var worker = new BeforeFirstSave(database, async db =>
        {
            var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId);
            job.Start("worker-1", T0.AddSeconds(30), TimeSpan.FromMinutes(5));
        });

        await DeleteAsync(database, worker, userId, chatId);

        worker.Ran.ShouldBeTrue();
        await using var check = database.CreateContext();
        (await check.Chats.AnyAsync(c => c.Id == chatId)).ShouldBeFalse();
        var running = await check.GenerationJobs.SingleAsync(j => j.Id == jobId);
        running.Status.ShouldBe(JobStatus.Running);
        running.LeaseOwner.ShouldBe("worker-1");
        running.ChatId.ShouldBeNull();
        running.ReplyInChat.ShouldBeFalse();
        running.UpdatedAt.ShouldBe(T0.AddMinutes(1));
        running.Prompt.ShouldBe("a lamp");
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Delete_WhenAJobJoinsTheChatBetweenReadAndSave_DeletesTheChatAndDetachesBothJobs(string provider)
    {
        var database = databases[provider];
        var (userId, chatId, jobId) = await AddChatWithQueuedJobAsync(database);
        var latecomerId = Guid.Empty;
        var user = new BeforeFirstSave(database, db =>
        {
            var latecomer = new GenerationJob(userId, "a chair", null, null, 2, GenerationQuality.Draft, chatId, T0.AddSeconds(40));
            db.GenerationJobs.Add(latecomer);
            latecomerId = latecomer.Id;
            return Task.CompletedTask;
        });

        await DeleteAsync(database, user, userId, chatId);

        user.Ran.ShouldBeTrue();
        await using var check = database.CreateContext();
        (await check.Chats.AnyAsync(c => c.Id == chatId)).ShouldBeFalse();
        var jobs = await check.GenerationJobs.Where(j => j.UserId == userId).OrderBy(j => j.Prompt).ToListAsync();
        jobs.Select(j => (j.Id, j.Prompt, j.Status, j.ChatId)).ShouldBe(
        [
            (latecomerId, "a chair", JobStatus.Queued, (Guid?)null),
            (jobId, "a lamp", JobStatus.Queued, (Guid?)null),
        ]);
    }

    private static async Task<(Guid UserId, Guid ChatId, Guid JobId)> AddChatWithQueuedJobAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var userId = (await TestUsers.AddAsync(db)).Id;
        var chat = new Chat(userId, "With a queued job", T0);
        var job = new GenerationJob(userId, "a lamp", null, null, 1, GenerationQuality.Standard, chat.Id, T0, replyInChat: true);
        db.Chats.Add(chat);
        db.GenerationJobs.Add(job);
        await db.SaveChangesAsync();
        return (userId, chat.Id, job.Id);
    }

    private static async Task DeleteAsync(TestDatabase database, BeforeFirstSave meanwhile, Guid userId, Guid chatId)
    {
        await using var db = database.CreateContext(meanwhile);
        var caller = new Mock<IUser>();
        caller.SetupGet(u => u.Id).Returns(userId);
        var handler = new DeleteChatCommandHandler(db, caller.Object, new FakeTimeProvider(new DateTimeOffset(T0.AddMinutes(1))));

        await handler.Handle(new DeleteChatCommand(chatId), CancellationToken.None);
    }
}
