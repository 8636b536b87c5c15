using AutoMapper;
using CleanBackend.Application.Common.Models;
using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.Persistence;

/// <summary>The same tests on every database this run has: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set.</summary>
public sealed class PersistenceTests(DatabasesFixture databases) : IClassFixture<DatabasesFixture>
{
    // The compiled queries are built once per service; one per database model inside.
    private static readonly ListQueries.Compiled Compiled = new(new MapperConfiguration(
        cfg => cfg.AddMaps(typeof(CleanBackend.Application.DependencyInjection).Assembly), NullLoggerFactory.Instance));

    private static readonly DateTime T0 = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Migrate_LeavesNoPendingMigrationsOrModelChanges(string provider)
    {
        await using var db = databases[provider].CreateContext();

        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        db.Database.HasPendingModelChanges().ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Chat_RoundTripsWithItsCountersAndUtcTimes(string provider)
    {
        var database = databases[provider];
        Guid chatId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            var chat = new Chat(user.Id, "Castle ideas", T0);
            db.Messages.Add(chat.Post(MessageRole.User, "a red castle", [], T0.AddMinutes(5)));
            db.Chats.Add(chat);
            await db.SaveChangesAsync();
            chatId = chat.Id;
        }

        await using (var db = database.CreateContext())
        {
            var chat = await db.Chats.SingleAsync(c => c.Id == chatId);
            chat.Title.ShouldBe("Castle ideas");
            chat.MessageCount.ShouldBe(1);
            chat.CreatedAt.ShouldBe(T0);
            chat.CreatedAt.Kind.ShouldBe(DateTimeKind.Utc);
            chat.LastMessageAt.ShouldBe(T0.AddMinutes(5));
            chat.LastMessageAt!.Value.Kind.ShouldBe(DateTimeKind.Utc);
            chat.LastActivityAt.ShouldBe(T0.AddMinutes(5));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task ChatPage_PagesAndOrdersByNewestActivityInTheDatabase(string provider)
    {
        var database = databases[provider];
        Guid userId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            var other = await TestUsers.AddAsync(db);
            userId = user.Id;
            for (var i = 0; i < 5; i++)
            {
                var chat = new Chat(user.Id, $"Chat {i}", T0.AddHours(i));
                if (i == 1)
                {
                    chat.Post(MessageRole.User, "newest activity", [], T0.AddDays(1));
                }

                db.Chats.Add(chat);
            }

            db.Chats.Add(new Chat(other.Id, "Someone else's", T0.AddDays(2)));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var lists = new ListQueries(db, Compiled);

            var first = await lists.ChatPageAsync(userId, 1, 3, CancellationToken.None);
            first.Items.Select(c => c.Title).ShouldBe(["Chat 1", "Chat 4", "Chat 3"]);
            (first.Total, first.TotalPages).ShouldBe((5, 2));

            var second = await lists.ChatPageAsync(userId, 2, 3, CancellationToken.None);
            second.Items.Select(c => c.Title).ShouldBe(["Chat 2", "Chat 0"]);

            var pastTheEnd = await lists.ChatPageAsync(userId, 3, 3, CancellationToken.None);
            (pastTheEnd.Items.Count, pastTheEnd.Total).ShouldBe((0, 5));

            var filtered = await lists.ChatsOf(userId).Where(c => c.Title != "Chat 4").Select(c => c.Title).ToListAsync();
            filtered.ShouldBe(["Chat 1", "Chat 3", "Chat 2", "Chat 0"]);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task ChatSearch_MatchesTitleIgnoringCase(string provider)
    {
        var database = databases[provider];
        await using var db = database.CreateContext();
        var user = await TestUsers.AddAsync(db);
        db.Chats.AddRange(new Chat(user.Id, "Red CASTLE", T0), new Chat(user.Id, "Blue boat", T0));
        await db.SaveChangesAsync();

        var search = "castle";
        var titles = await db.Chats.AsNoTracking()
            .Where(c => c.UserId == user.Id && c.Title.ToLower().Contains(search))
            .Select(c => c.Title)
            .ToListAsync();

        titles.ShouldBe(["Red CASTLE"]);
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task DeletingChat_RemovesItsMessagesAndAttachments(string provider)
    {
        var database = databases[provider];
        Guid chatId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            var chat = new Chat(user.Id, null, T0);
            db.Chats.Add(chat);
            db.Messages.Add(chat.Post(MessageRole.User, "with a picture", [new MessageAttachment(AttachmentType.Image, Guid.CreateVersion7())], T0));
            db.Messages.Add(chat.Post(MessageRole.Assistant, "here it is", [], T0.AddSeconds(1)));
            await db.SaveChangesAsync();
            chatId = chat.Id;
        }

        await using (var db = database.CreateContext())
        {
            var message = await db.Messages.FirstAsync(m => m.ChatId == chatId && m.Role == MessageRole.User);
            message.Attachments.Count.ShouldBe(1);
            message.Attachments[0].Type.ShouldBe(AttachmentType.Image);

            db.Chats.Remove(await db.Chats.SingleAsync(c => c.Id == chatId));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            (await db.Messages.CountAsync(m => m.ChatId == chatId)).ShouldBe(0);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task GenerationJob_RoundTripsFormatsStatusAndDuration(string provider)
    {
        var database = databases[provider];
        Guid jobId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            var job = new GenerationJob(user.Id, "a low-poly fox", "blurry", [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply], 42, GenerationQuality.Draft, null, T0);
            job.Start("worker-1", T0.AddSeconds(1), TimeSpan.FromMinutes(1));
            job.ReportProgress(40, T0.AddSeconds(2));
            job.Complete(T0.AddSeconds(4));
            db.GenerationJobs.Add(job);
            await db.SaveChangesAsync();
            jobId = job.Id;
        }

        await using (var db = database.CreateContext())
        {
            var job = await db.GenerationJobs.SingleAsync(j => j.Id == jobId);
            job.Formats.ShouldBe([AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply]);
            job.Status.ShouldBe(JobStatus.Completed);
            job.Progress.ShouldBe(100);
            job.Seed.ShouldBe(42);
            job.Quality.ShouldBe(GenerationQuality.Draft);
            job.NegativePrompt.ShouldBe("blurry");
            job.StartedAt.ShouldBe(T0.AddSeconds(1));
            job.CompletedAt.ShouldBe(T0.AddSeconds(4));
            job.DurationMs.ShouldBe(3000);
            job.LeaseOwner.ShouldBeNull();
            (await db.GenerationJobs.CountAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)).ShouldBe(1);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task GenerationJob_RoundTripsItsImagesTargetPolycountAndTopology(string provider)
    {
        var database = databases[provider];
        var images = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        Guid imageJobId, textJobId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            var imageJob = new GenerationJob(
                user.Id, null, null, [AssetFormat.Glb, AssetFormat.Stl], 42, GenerationQuality.Standard, null, T0,
                imageAssetIds: images.Reverse(), targetPolycount: 300_000, topology: MeshTopology.Quad);
            var textJob = new GenerationJob(user.Id, "a low-poly fox", null, null, 42, GenerationQuality.Standard, null, T0);
            db.GenerationJobs.AddRange(imageJob, textJob);
            await db.SaveChangesAsync();
            (imageJobId, textJobId) = (imageJob.Id, textJob.Id);
        }

        await using (var db = database.CreateContext())
        {
            var imageJob = await db.GenerationJobs.SingleAsync(j => j.Id == imageJobId);
            imageJob.Prompt.ShouldBe(string.Empty);
            imageJob.ImageAssetIds.ShouldBe(images.Reverse());
            imageJob.TargetPolycount.ShouldBe(300_000);
            imageJob.Topology.ShouldBe(MeshTopology.Quad);
            imageJob.Formats.ShouldBe([AssetFormat.Glb, AssetFormat.Stl]);
            var textJob = await db.GenerationJobs.SingleAsync(j => j.Id == textJobId);
            textJob.ImageAssetIds.ShouldBeEmpty();
            textJob.TargetPolycount.ShouldBeNull();
            textJob.Topology.ShouldBe(MeshTopology.Triangle);
            (await db.GenerationJobs.CountAsync(j => j.Topology == MeshTopology.Quad && (j.Id == imageJobId || j.Id == textJobId))).ShouldBe(1);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task RefreshTokenHash_IsUnique(string provider)
    {
        await using var db = databases[provider].CreateContext();
        var user = await TestUsers.AddAsync(db);
        var hash = SecretHash.Of(Guid.NewGuid().ToString());
        db.RefreshTokens.Add(RefreshToken.IssueForLogin(user.Id, hash, T0, TimeSpan.FromDays(7), "127.0.0.1", "tests"));
        await db.SaveChangesAsync();

        db.RefreshTokens.Add(RefreshToken.IssueForLogin(user.Id, hash, T0, TimeSpan.FromDays(7), "127.0.0.1", "tests"));

        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task PendingRegistrationEmail_IsUnique(string provider)
    {
        await using var db = databases[provider].CreateContext();
        var email = $"new-{Guid.NewGuid():N}@example.com";
        db.EmailVerifications.Add(new EmailVerification(email, "A", "hash", SecretHash.Of("123456"), T0));
        await db.SaveChangesAsync();

        db.EmailVerifications.Add(new EmailVerification(email, "B", "hash", SecretHash.Of("654321"), T0));

        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task DeletingUser_RemovesTheirChatsJobsAssetsAndTokens(string provider)
    {
        var database = databases[provider];
        Guid userId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            userId = user.Id;
            var chat = new Chat(user.Id, "mine", T0);
            var job = new GenerationJob(user.Id, "a chair", null, null, 1, GenerationQuality.Standard, chat.Id, T0);
            db.Chats.Add(chat);
            db.Messages.Add(chat.Post(MessageRole.User, "a chair", [], T0));
            db.GenerationJobs.Add(job);
            db.Assets.Add(new Asset(user.Id, job.Id, AssetFormat.Glb, "chair.glb", 1234, new string('a', 64), $"2026/03/{Guid.NewGuid():N}.glb", T0));
            db.RefreshTokens.Add(RefreshToken.IssueForLogin(user.Id, SecretHash.Of(Guid.NewGuid().ToString()), T0, TimeSpan.FromDays(7), null, null));
            db.PasswordResets.Add(new PasswordReset(user.Id, SecretHash.Of(Guid.NewGuid().ToString()), T0));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            db.Users.Remove(await db.Users.SingleAsync(u => u.Id == userId));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            (await db.Chats.CountAsync(c => c.UserId == userId)).ShouldBe(0);
            (await db.GenerationJobs.CountAsync(j => j.UserId == userId)).ShouldBe(0);
            (await db.Assets.CountAsync(a => a.UserId == userId)).ShouldBe(0);
            (await db.RefreshTokens.CountAsync(t => t.UserId == userId)).ShouldBe(0);
            (await db.PasswordResets.CountAsync(r => r.UserId == userId)).ShouldBe(0);
        }
    }
}
