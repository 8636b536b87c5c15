using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.UnitTests.Chats;

public class ChatTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = new(2026, 1, 1, 12, 5, 0, DateTimeKind.Utc);
    private static readonly DateTime EvenLater = new(2026, 1, 1, 12, 10, 0, DateTimeKind.Utc);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly Guid AssetA = Guid.Parse("0197a1b2-0000-7000-8000-00000000000a");
    private static readonly Guid AssetB = Guid.Parse("0197a1b2-0000-7000-8000-00000000000b");

    private static Chat NewChat() => new(UserId, "Castle ideas", Created);

    private static MessageAttachment[] Attachments(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new MessageAttachment(AttachmentType.Image, new Guid(i, 0, 0, new byte[8])))];

    // ---- construction ----

    [Fact]
    public void Constructor_SetsOwnerTitleAndTimestamps()
    {
        var chat = new Chat(UserId, "Castle ideas", Created);

        chat.Id.ShouldNotBe(Guid.Empty);
        chat.Id.Version.ShouldBe(7);
        chat.UserId.ShouldBe(UserId);
        chat.Title.ShouldBe("Castle ideas");
        chat.CreatedAt.ShouldBe(Created);
        chat.UpdatedAt.ShouldBe(Created);
        chat.LastActivityAt.ShouldBe(Created);
        chat.LastMessageAt.ShouldBeNull();
        chat.MessageCount.ShouldBe(0);
    }

    [Fact]
    public void Constructor_GivesEachChatItsOwnId()
    {
        var first = NewChat();
        var second = NewChat();

        first.Id.ShouldNotBe(second.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Constructor_WhenTitleIsBlank_UsesDefaultTitle(string? title)
    {
        var chat = new Chat(UserId, title, Created);

        chat.Title.ShouldBe(Chat.DefaultTitle);
        chat.Title.ShouldBe("New chat");
    }

    [Fact]
    public void Constructor_TrimsTitle()
    {
        var chat = new Chat(UserId, "  Castle ideas \t", Created);

        chat.Title.ShouldBe("Castle ideas");
    }

    [Fact]
    public void Constructor_AcceptsTitleOfMaxLength()
    {
        var title = new string('t', Chat.TitleMaxLength);

        var chat = new Chat(UserId, title, Created);

        chat.Title.ShouldBe(title);
    }

    [Fact]
    public void Constructor_MeasuresTitleLengthAfterTrimming()
    {
        var title = new string('t', Chat.TitleMaxLength);

        var chat = new Chat(UserId, "  " + title + "  ", Created);

        chat.Title.ShouldBe(title);
    }

    [Fact]
    public void Constructor_WhenTitleTooLong_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => new Chat(UserId, new string('t', Chat.TitleMaxLength + 1), Created));

        ex.ParamName.ShouldBe("title");
        ex.Message.ShouldStartWith("title must be at most 200 characters.");
    }

    [Fact]
    public void Constructor_WhenUserIdEmpty_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => new Chat(Guid.Empty, "Castle ideas", Created));

        ex.ParamName.ShouldBe("userId");
    }

    // ---- Rename ----

    [Fact]
    public void Rename_SetsTrimmedTitleAndUpdatedAt()
    {
        var chat = NewChat();

        chat.Rename("  Tower designs ", Later);

        chat.Title.ShouldBe("Tower designs");
        chat.UpdatedAt.ShouldBe(Later);
        chat.CreatedAt.ShouldBe(Created);
    }

    [Fact]
    public void Rename_DoesNotChangeLastActivityOrMessageCounters()
    {
        var chat = NewChat();

        chat.Rename("Tower designs", Later);

        chat.LastActivityAt.ShouldBe(Created);
        chat.LastMessageAt.ShouldBeNull();
        chat.MessageCount.ShouldBe(0);
    }

    [Fact]
    public void Rename_AcceptsTitleOfMaxLength()
    {
        var chat = NewChat();
        var title = new string('t', Chat.TitleMaxLength);

        chat.Rename(title, Later);

        chat.Title.ShouldBe(title);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Rename_WhenTitleIsBlank_ThrowsAndKeepsTitle(string? title)
    {
        var chat = NewChat();

        var ex = Should.Throw<ArgumentException>(() => chat.Rename(title!, Later));

        ex.ParamName.ShouldBe("title");
        chat.Title.ShouldBe("Castle ideas");
        chat.UpdatedAt.ShouldBe(Created);
    }

    [Fact]
    public void Rename_WhenTitleTooLong_ThrowsAndKeepsTitle()
    {
        var chat = NewChat();

        var ex = Should.Throw<ArgumentException>(() => chat.Rename(new string('t', Chat.TitleMaxLength + 1), Later));

        ex.ParamName.ShouldBe("title");
        chat.Title.ShouldBe("Castle ideas");
        chat.UpdatedAt.ShouldBe(Created);
    }

    // ---- Post: counters ----

    [Fact]
    public void Post_IncrementsMessageCountAndSetsLastMessageAt()
    {
        var chat = NewChat();

        _ = chat.Post(MessageRole.User, "Make a castle", [], Later);

        chat.MessageCount.ShouldBe(1);
        chat.LastMessageAt.ShouldBe(Later);
        chat.LastActivityAt.ShouldBe(Later);
        chat.UpdatedAt.ShouldBe(Later);
        chat.CreatedAt.ShouldBe(Created);
    }

    [Fact]
    public void Post_Twice_CountsBothAndKeepsLatestTimestamps()
    {
        var chat = NewChat();

        _ = chat.Post(MessageRole.User, "Make a castle", [], Later);
        _ = chat.Post(MessageRole.Assistant, "Here is a castle", [], EvenLater);

        chat.MessageCount.ShouldBe(2);
        chat.LastMessageAt.ShouldBe(EvenLater);
        chat.LastActivityAt.ShouldBe(EvenLater);
        chat.UpdatedAt.ShouldBe(EvenLater);
    }

    [Fact]
    public void Post_AfterRename_MovesUpdatedAtToTheMessage()
    {
        var chat = NewChat();
        chat.Rename("Tower designs", Later);

        _ = chat.Post(MessageRole.User, "Make a tower", [], EvenLater);

        chat.UpdatedAt.ShouldBe(EvenLater);
        chat.LastActivityAt.ShouldBe(EvenLater);
        chat.Title.ShouldBe("Tower designs");
    }

    // ---- Post: the message ----

    [Theory]
    [InlineData(MessageRole.User)]
    [InlineData(MessageRole.Assistant)]
    [InlineData(MessageRole.System)]
    public void Post_ReturnsMessageOfTheChatWithRoleContentAndTime(MessageRole role)
    {
        var chat = NewChat();

        var message = chat.Post(role, "Make a castle", [], Later);

        message.Id.ShouldNotBe(Guid.Empty);
        message.Id.Version.ShouldBe(7);
        message.ChatId.ShouldBe(chat.Id);
        message.Role.ShouldBe(role);
        message.Content.ShouldBe("Make a castle");
        message.CreatedAt.ShouldBe(Later);
        message.Attachments.ShouldBeEmpty();
    }

    [Fact]
    public void Post_TrimsContent()
    {
        var chat = NewChat();

        var message = chat.Post(MessageRole.User, "  Make a castle \n", [], Later);

        message.Content.ShouldBe("Make a castle");
    }

    [Fact]
    public void Post_AcceptsContentOfMaxLength()
    {
        var chat = NewChat();
        var content = new string('c', Message.ContentMaxLength);

        var message = chat.Post(MessageRole.User, content, [], Later);

        message.Content.ShouldBe(content);
        chat.MessageCount.ShouldBe(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public void Post_WhenContentIsBlank_ThrowsAndLeavesCountersUnchanged(string? content)
    {
        var chat = NewChat();

        var ex = Should.Throw<ArgumentException>(() => chat.Post(MessageRole.User, content!, [], Later));

        ex.ParamName.ShouldBe("content");
        ex.Message.ShouldStartWith("content must not be empty.");
        AssertUntouched(chat);
    }

    [Fact]
    public void Post_WhenContentTooLong_ThrowsAndLeavesCountersUnchanged()
    {
        var chat = NewChat();

        var ex = Should.Throw<ArgumentException>(() => chat.Post(MessageRole.User, new string('c', Message.ContentMaxLength + 1), [], Later));

        ex.ParamName.ShouldBe("content");
        ex.Message.ShouldStartWith("content must be at most 10000 characters.");
        AssertUntouched(chat);
    }

    // ---- Post: attachments ----

    [Fact]
    public void Post_KeepsAttachmentsInOrder()
    {
        var chat = NewChat();
        var image = new MessageAttachment(AttachmentType.Image, AssetA);
        var model = new MessageAttachment(AttachmentType.Model, AssetB);

        var message = chat.Post(MessageRole.User, "Use these", [image, model], Later);

        message.Attachments.ShouldBe([image, model]);
    }

    [Fact]
    public void Post_AcceptsMaxAttachments()
    {
        var chat = NewChat();
        var attachments = Attachments(Message.MaxAttachments);

        var message = chat.Post(MessageRole.User, "Use these", attachments, Later);

        message.Attachments.Count.ShouldBe(10);
        message.Attachments.ShouldBe(attachments);
        chat.MessageCount.ShouldBe(1);
    }

    [Fact]
    public void Post_WhenMoreThanMaxAttachments_ThrowsDomainExceptionAndLeavesCountersUnchanged()
    {
        var chat = NewChat();

        var ex = Should.Throw<DomainException>(() => chat.Post(MessageRole.User, "Use these", Attachments(Message.MaxAttachments + 1), Later));

        ex.Message.ShouldBe("A message can have at most 10 attachments.");
        AssertUntouched(chat);
    }

    [Fact]
    public void Post_WhenSameAssetAttachedTwice_ThrowsDomainExceptionAndLeavesCountersUnchanged()
    {
        var chat = NewChat();
        var attachment = new MessageAttachment(AttachmentType.Image, AssetA);

        var ex = Should.Throw<DomainException>(() => chat.Post(MessageRole.User, "Use these", [attachment, attachment], Later));

        ex.Message.ShouldBe("An asset can be attached to a message only once.");
        AssertUntouched(chat);
    }

    [Fact]
    public void Post_WhenSameAssetAttachedAsImageAndModel_ThrowsDomainException()
    {
        var chat = NewChat();
        MessageAttachment[] attachments = [new(AttachmentType.Image, AssetA), new(AttachmentType.Model, AssetA)];

        var ex = Should.Throw<DomainException>(() => chat.Post(MessageRole.User, "Use these", attachments, Later));

        ex.Message.ShouldBe("An asset can be attached to a message only once.");
        AssertUntouched(chat);
    }

    [Fact]
    public void Post_AllowsTheSameAssetInDifferentMessages()
    {
        var chat = NewChat();
        var attachment = new MessageAttachment(AttachmentType.Model, AssetA);

        var first = chat.Post(MessageRole.User, "Use this", [attachment], Later);
        var second = chat.Post(MessageRole.User, "Use it again", [attachment], EvenLater);

        first.Attachments.ShouldHaveSingleItem().ShouldBe(attachment);
        second.Attachments.ShouldHaveSingleItem().ShouldBe(attachment);
        chat.MessageCount.ShouldBe(2);
    }

    [Fact]
    public void Post_DoesNotShareAttachmentListWithTheCaller()
    {
        var chat = NewChat();
        var attachments = new List<MessageAttachment> { new(AttachmentType.Image, AssetA) };

        var message = chat.Post(MessageRole.User, "Use this", attachments, Later);
        attachments.Add(new MessageAttachment(AttachmentType.Image, AssetB));

        message.Attachments.ShouldHaveSingleItem().AssetId.ShouldBe(AssetA);
    }

    private static void AssertUntouched(Chat chat)
    {
        chat.MessageCount.ShouldBe(0);
        chat.LastMessageAt.ShouldBeNull();
        chat.LastActivityAt.ShouldBe(Created);
        chat.UpdatedAt.ShouldBe(Created);
    }

    [Fact]
    public void Post_StampedEarlierThanTheLastMessage_CountsItButKeepsTheLatestActivity()
    {
        var chat = NewChat();
        chat.Post(MessageRole.User, "second", [], EvenLater);

        var message = chat.Post(MessageRole.User, "first, delivered late", [], Later);

        chat.MessageCount.ShouldBe(2);
        chat.LastMessageAt.ShouldBe(EvenLater);
        chat.LastActivityAt.ShouldBe(EvenLater);
        chat.UpdatedAt.ShouldBe(EvenLater);
        message.CreatedAt.ShouldBe(Later);
    }

    [Fact]
    public void RemoveAttachment_DropsOnlyThatAssetAndKeepsTheText()
    {
        var chat = NewChat();
        var message = chat.Post(MessageRole.User, "two pictures", [new MessageAttachment(AttachmentType.Image, AssetA), new MessageAttachment(AttachmentType.Image, AssetB)], Later);

        message.RemoveAttachment(AssetA);

        message.Attachments.ShouldBe([new MessageAttachment(AttachmentType.Image, AssetB)]);
        message.Content.ShouldBe("two pictures");
    }
}
