using AutoMapper;
using AutoMapper.Internal;
using CleanBackend.Application.Assets.Common;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Messages.Common;
using CleanBackend.Domain.Jobs;
using CleanBackend.Domain.Assets;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Chats;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanBackend.Application.UnitTests.Common.Mappings;

public class MappingTests
{
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000a1");
    private static readonly DateTime Created = new(2025, 3, 14, 9, 30, 0, DateTimeKind.Utc);
    private static readonly Guid AssetId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000b2");

    /// <summary>
    /// Every entity of the domain that has a DTO: how to build one and the DTO it must map to.
    /// Add a row here with every new <c>CreateMap</c>.
    /// </summary>
    private static readonly MappingCase[] Cases =
    [
        new MappingCase(
            "new chat",
            () => new Chat(UserId, "Design review", Created),
            typeof(ChatDto),
            source => new ChatDto
            {
                Id = ((Chat)source).Id,
                Title = "Design review",
                CreatedAt = Created,
                UpdatedAt = Created,
                LastMessageAt = null,
                MessageCount = 0,
            }),
        new MappingCase(
            "untitled chat",
            () => new Chat(UserId, null, Created),
            typeof(ChatDto),
            source => new ChatDto
            {
                Id = ((Chat)source).Id,
                Title = "New chat",
                CreatedAt = Created,
                UpdatedAt = Created,
                LastMessageAt = null,
                MessageCount = 0,
            }),
        new MappingCase(
            "chat with messages, renamed",
            () =>
            {
                var chat = new Chat(UserId, "Design review", Created);
                chat.Post(MessageRole.User, "A wooden chair", [], Created.AddMinutes(1));
                chat.Post(MessageRole.Assistant, "Here it is.", [], Created.AddMinutes(2));
                chat.Rename("Chairs", Created.AddMinutes(3));
                return chat;
            },
            typeof(ChatDto),
            source => new ChatDto
            {
                Id = ((Chat)source).Id,
                Title = "Chairs",
                CreatedAt = Created,
                UpdatedAt = Created.AddMinutes(3),
                LastMessageAt = Created.AddMinutes(2),
                MessageCount = 2,
            }),
        new MappingCase(
            "uploaded asset",
            () => new Asset(UserId, null, AssetFormat.Png, "sketch.png", 1234, new string('b', 64), "2025/03/abc.png", Created),
            typeof(AssetDto),
            source => new AssetDto
            {
                Id = ((Asset)source).Id,
                JobId = null,
                Format = AssetFormat.Png,
                FileName = "sketch.png",
                SizeBytes = 1234,
                Sha256 = new string('b', 64),
                CreatedAt = Created,
                Url = string.Empty,
                StorageKey = "2025/03/abc.png",
            }),
        new MappingCase(
            "model attachment",
            () => new MessageAttachment(AttachmentType.Model, AssetId),
            typeof(AttachmentDto),
            _ => new AttachmentDto { Type = AttachmentType.Model, AssetId = AssetId, Url = null }),
    ];

    /// <summary>Maps whose DTOs hold collections, so record equality cannot compare them: each has its own test below.</summary>
    private static readonly (Type, Type)[] TestedSeparately = [(typeof(UserAccount), typeof(UserDto)), (typeof(Message), typeof(MessageDto)), (typeof(GenerationJob), typeof(JobDto))];

    private readonly MapperConfiguration _configuration = new(
        cfg => cfg.AddMaps(typeof(CleanBackend.Application.DependencyInjection).Assembly),
        NullLoggerFactory.Instance);

    public static TheoryData<MappingCase> EntitiesWithDtos => [.. Cases];

    [Fact]
    public void Configuration_FromAllProfilesOfTheApplication_IsValid()
    {
        Should.NotThrow(() => _configuration.AssertConfigurationIsValid());
    }

    [Fact]
    public void EntitiesWithDtos_CoversEveryMapOfTheApplication()
    {
        var mapped = _configuration.Internal().GetAllTypeMaps()
            .Select(m => (m.SourceType, m.DestinationType))
            .OrderBy(p => p.SourceType.FullName, StringComparer.Ordinal)
            .ThenBy(p => p.DestinationType.FullName, StringComparer.Ordinal);

        var tested = Cases
            .Select(c => (Source: c.CreateSource().GetType(), c.Destination))
            .Concat(TestedSeparately.Select(p => (Source: p.Item1, Destination: p.Item2)))
            .Distinct()
            .OrderBy(p => p.Source.FullName, StringComparer.Ordinal)
            .ThenBy(p => p.Destination.FullName, StringComparer.Ordinal);

        tested.ShouldBe(mapped);
    }

    [Theory]
    [MemberData(nameof(EntitiesWithDtos))]
    public void Map_EntityToItsDto_CopiesEveryField(MappingCase mapping)
    {
        var mapper = _configuration.CreateMapper();
        var source = mapping.CreateSource();

        var result = mapper.Map(source, source.GetType(), mapping.Destination);

        result.ShouldBeOfType(mapping.Destination);
        result.ShouldBe(mapping.Expected(source));
    }

    [Fact]
    public void Map_UserAccountToUserDto_CopiesEveryFieldAndReadsTheSettings()
    {
        var account = new UserAccount(UserId, "ada@example.com", "Ada", ["admin", "user"], IsActive: true, EmailVerified: true, Created, Created.AddHours(1), """{"emailOnJobComplete":true,"theme":"dark"}""", "stamp");

        var dto = _configuration.CreateMapper().Map<UserDto>(account);

        dto.Id.ShouldBe(UserId);
        dto.Email.ShouldBe("ada@example.com");
        dto.Name.ShouldBe("Ada");
        dto.Roles.ShouldBe(["admin", "user"]);
        dto.IsActive.ShouldBeTrue();
        dto.EmailVerified.ShouldBeTrue();
        dto.CreatedAt.ShouldBe(Created);
        dto.LastLoginAt.ShouldBe(Created.AddHours(1));
        dto.Settings.Keys.ShouldBe(["emailOnJobComplete", "theme"], ignoreOrder: true);
        dto.Settings["emailOnJobComplete"].GetBoolean().ShouldBeTrue();
        dto.Settings["theme"].GetString().ShouldBe("dark");
        typeof(UserDto).GetProperties().Select(p => p.Name).ShouldBe(
            ["Id", "Email", "Name", "Roles", "IsActive", "EmailVerified", "CreatedAt", "LastLoginAt", "Settings"], ignoreOrder: true);
    }

    [Fact]
    public void Map_MessageToMessageDto_CopiesEveryFieldAndEachAttachment()
    {
        var chat = new Chat(UserId, "Chairs", Created);
        var message = chat.Post(MessageRole.Assistant, "Here it is.", [new MessageAttachment(AttachmentType.Model, AssetId)], Created.AddMinutes(1));

        var dto = _configuration.CreateMapper().Map<MessageDto>(message);

        dto.Id.ShouldBe(message.Id);
        dto.ChatId.ShouldBe(chat.Id);
        dto.Role.ShouldBe(MessageRole.Assistant);
        dto.Content.ShouldBe("Here it is.");
        dto.CreatedAt.ShouldBe(Created.AddMinutes(1));
        dto.Attachments.ShouldBe([new AttachmentDto { Type = AttachmentType.Model, AssetId = AssetId, Url = null }]);
        typeof(MessageDto).GetProperties().Select(p => p.Name).ShouldBe(["Id", "ChatId", "Role", "Content", "Attachments", "CreatedAt"], ignoreOrder: true);
    }

    [Fact]
    public void Map_FinishedJobToJobDto_CopiesEveryFieldButLeavesAssetsToTheQuery()
    {
        var chatId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000c3");
        var job = new GenerationJob(UserId, "a red cube", "blurry", [AssetFormat.Glb, AssetFormat.Ply], 42, GenerationQuality.Draft, chatId, Created, replyInChat: true);
        job.Rename("Cube", Created);
        job.Start("worker-1", Created.AddSeconds(1), TimeSpan.FromMinutes(1));
        job.Complete(Created.AddSeconds(3));

        var dto = _configuration.CreateMapper().Map<JobDto>(job);

        dto.Id.ShouldBe(job.Id);
        dto.Prompt.ShouldBe("a red cube");
        dto.NegativePrompt.ShouldBe("blurry");
        dto.Title.ShouldBe("Cube");
        dto.Status.ShouldBe(JobStatus.Completed);
        dto.Progress.ShouldBe(100);
        dto.Formats.ShouldBe([AssetFormat.Glb, AssetFormat.Ply]);
        dto.Seed.ShouldBe(42);
        dto.Quality.ShouldBe(GenerationQuality.Draft);
        dto.ChatId.ShouldBe(chatId);
        dto.Error.ShouldBeNull();
        dto.CreatedAt.ShouldBe(Created);
        dto.StartedAt.ShouldBe(Created.AddSeconds(1));
        dto.CompletedAt.ShouldBe(Created.AddSeconds(3));
        dto.DurationMs.ShouldBe(2000);
        dto.Assets.ShouldBeEmpty();
    }

    [Fact]
    public void Map_UserAccountWithEmptySettings_GivesAnEmptyObject()
    {
        var account = new UserAccount(UserId, "a@example.com", "A", ["user"], true, true, Created, null, "", "stamp");

        _configuration.CreateMapper().Map<UserDto>(account).Settings.ShouldBeEmpty();
    }

    public sealed record MappingCase(string Name, Func<object> CreateSource, Type Destination, Func<object, object> Expected)
    {
        public override string ToString() => $"{Name} -> {Destination.Name}";
    }
}
