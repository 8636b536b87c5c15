using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Domain.UnitTests.Chats;

public class ChatTests
{
    private const string Prompt = "A small stone castle";
    private const string Sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = new(2026, 1, 1, 12, 5, 0, DateTimeKind.Utc);
    private static readonly DateTime Finished = new(2026, 1, 1, 12, 8, 0, DateTimeKind.Utc);
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

    // ---- Pin ----

    [Fact]
    public void Pin_PinsTheChatAndMovesUpdatedAt()
    {
        var chat = NewChat();

        chat.Pin(true, Later);

        chat.IsPinned.ShouldBeTrue();
        chat.UpdatedAt.ShouldBe(Later);
        chat.LastActivityAt.ShouldBe(Created);
        chat.MessageCount.ShouldBe(0);
    }

    [Fact]
    public void Pin_False_UnpinsAPinnedChatAndMovesUpdatedAt()
    {
        var chat = NewChat();
        chat.Pin(true, Later);

        chat.Pin(false, EvenLater);

        chat.IsPinned.ShouldBeFalse();
        chat.UpdatedAt.ShouldBe(EvenLater);
    }

    [Fact]
    public void Pin_ANewChat_IsNotPinned()
    {
        NewChat().IsPinned.ShouldBeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pin_WhenAlreadyInThatState_ChangesNothing(bool pinned)
    {
        var chat = NewChat();
        chat.Pin(pinned, Later);
        var updatedAt = chat.UpdatedAt;

        chat.Pin(pinned, EvenLater);

        chat.IsPinned.ShouldBe(pinned);
        chat.UpdatedAt.ShouldBe(updatedAt);
    }

    // ---- ReplyToGeneration ----

    private static GenerationJob JobFor(Chat chat, string prompt = Prompt, bool replyInChat = true, Guid? chatId = null) =>
        new(UserId, prompt, null, [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply], 42, GenerationQuality.Standard, chatId ?? chat.Id, Later, replyInChat);

    private static GenerationJob Completed(GenerationJob job)
    {
        job.Start("worker-1", Later, TimeSpan.FromMinutes(5));
        job.Complete(Finished);
        return job;
    }

    private static Asset FileOf(GenerationJob job, AssetFormat format) =>
        new(UserId, job.Id, format, $"model.{format.Extension()}", 1024, Sha, $"assets/{Guid.NewGuid():N}", Finished);

    [Fact]
    public void ReplyToGeneration_WhenCompleted_PostsTheModelsAsAnAssistantMessage()
    {
        var chat = NewChat();
        var job = Completed(JobFor(chat));
        var glb = FileOf(job, AssetFormat.Glb);
        var obj = FileOf(job, AssetFormat.Obj);
        var mtl = FileOf(job, AssetFormat.Mtl);
        var ply = FileOf(job, AssetFormat.Ply);

        var message = chat.ReplyToGeneration(job, [glb, obj, mtl, ply], EvenLater);

        message.ChatId.ShouldBe(chat.Id);
        message.Role.ShouldBe(MessageRole.Assistant);
        message.Content.ShouldBe("Your model is ready: A small stone castle");
        message.CreatedAt.ShouldBe(EvenLater);
        message.Attachments.ShouldBe([
            new MessageAttachment(AttachmentType.Model, glb.Id),
            new MessageAttachment(AttachmentType.Model, obj.Id),
            new MessageAttachment(AttachmentType.Model, ply.Id)]);
    }

    [Fact]
    public void ReplyToGeneration_WhenCompleted_AttachesAPreviewImageAsAnImage()
    {
        // The built-in model server adds a preview.png to every generation.
        var chat = NewChat();
        var job = Completed(JobFor(chat));
        var glb = FileOf(job, AssetFormat.Glb);
        var preview = FileOf(job, AssetFormat.Png);

        var message = chat.ReplyToGeneration(job, [glb, preview], EvenLater);

        message.Attachments.ShouldBe([
            new MessageAttachment(AttachmentType.Model, glb.Id),
            new MessageAttachment(AttachmentType.Image, preview.Id)]);
    }

    [Fact]
    public void ReplyToGeneration_LeavesOutTheFilesOfAnotherJob()
    {
        var chat = NewChat();
        var job = Completed(JobFor(chat));
        var other = Completed(JobFor(chat, "A tall wooden tower"));
        var glb = FileOf(job, AssetFormat.Glb);

        var message = chat.ReplyToGeneration(job, [FileOf(other, AssetFormat.Glb), glb, FileOf(other, AssetFormat.Ply)], EvenLater);

        message.Attachments.ShouldBe([new MessageAttachment(AttachmentType.Model, glb.Id)]);
    }

    [Fact]
    public void ReplyToGeneration_OfAnImageOnlyJob_SaysItWasMadeFromTheImage()
    {
        var chat = NewChat();
        var job = Completed(new GenerationJob(UserId, null, null, null, 42, GenerationQuality.Standard, chat.Id, Later, replyInChat: true, imageAssetIds: [AssetA]));

        var message = chat.ReplyToGeneration(job, [], EvenLater);

        message.Content.ShouldBe("Your model is ready: (image)");
    }

    // ---- AskForGeneration ----

    [Fact]
    public void AskForGeneration_PostsThePromptAsAUserMessage_WithTheImagesAttachedInOrder()
    {
        var chat = NewChat();
        var job = new GenerationJob(UserId, Prompt, null, null, 42, GenerationQuality.Standard, chat.Id, Later, replyInChat: true, imageAssetIds: [AssetB, AssetA]);

        var message = chat.AskForGeneration(job, Later);

        message.Role.ShouldBe(MessageRole.User);
        message.Content.ShouldBe(Prompt);
        message.Attachments.ShouldBe([new MessageAttachment(AttachmentType.Image, AssetB), new MessageAttachment(AttachmentType.Image, AssetA)]);
        chat.MessageCount.ShouldBe(1);
        chat.LastMessageAt.ShouldBe(Later);
    }

    [Fact]
    public void AskForGeneration_OfATextJob_PostsThePromptAlone()
    {
        var chat = NewChat();

        var message = chat.AskForGeneration(JobFor(chat), Later);

        message.Content.ShouldBe(Prompt);
        message.Attachments.ShouldBeEmpty();
    }

    [Fact]
    public void AskForGeneration_OfAnImageOnlyJob_SaysHowManyImagesThereAre()
    {
        var chat = NewChat();
        var job = new GenerationJob(UserId, null, null, null, 42, GenerationQuality.Standard, chat.Id, Later, replyInChat: true, imageAssetIds: [AssetA, AssetB]);

        var message = chat.AskForGeneration(job, Later);

        message.Content.ShouldBe("(2 images)");
        message.Attachments.Select(a => a.AssetId).ShouldBe([AssetA, AssetB]);
    }

    [Fact]
    public void AskForGeneration_ForAJobThatDoesNotAnswerInThisChat_ThrowsDomainException()
    {
        var chat = NewChat();

        Should.Throw<DomainException>(() => chat.AskForGeneration(JobFor(chat, replyInChat: false), Later));
        Should.Throw<DomainException>(() => chat.AskForGeneration(JobFor(chat, chatId: Guid.NewGuid()), Later));
        chat.MessageCount.ShouldBe(0);
    }

    [Fact]
    public void ReplyToGeneration_WhenCompletedWithoutFiles_PostsTheTextAlone()
    {
        var chat = NewChat();
        var job = Completed(JobFor(chat));

        var message = chat.ReplyToGeneration(job, [], EvenLater);

        message.Content.ShouldBe("Your model is ready: A small stone castle");
        message.Attachments.ShouldBeEmpty();
    }

    [Fact]
    public void ReplyToGeneration_KeepsAPromptOfEightyCharacters()
    {
        var chat = NewChat();
        var prompt = new string('p', 80);
        var job = Completed(JobFor(chat, prompt));

        var message = chat.ReplyToGeneration(job, [], EvenLater);

        message.Content.ShouldBe("Your model is ready: " + prompt);
    }

    [Fact]
    public void ReplyToGeneration_ShortensALongerPromptToEightyCharacters()
    {
        var chat = NewChat();
        var prompt = new string('p', 77) + "qrst";
        var job = Completed(JobFor(chat, prompt));

        var message = chat.ReplyToGeneration(job, [], EvenLater);

        message.Content.ShouldBe("Your model is ready: " + new string('p', 77) + "...");
    }

    [Fact]
    public void ReplyToGeneration_WhenFailed_PostsTheErrorWithoutAttachments()
    {
        var chat = NewChat();
        var job = JobFor(chat);
        job.Start("worker-1", Later, TimeSpan.FromMinutes(5));
        job.Fail("The model server could not read the prompt.", Finished);
        var stray = FileOf(job, AssetFormat.Glb);

        var message = chat.ReplyToGeneration(job, [stray], EvenLater);

        message.Role.ShouldBe(MessageRole.Assistant);
        message.Content.ShouldBe("The model could not be generated: The model server could not read the prompt.");
        message.Attachments.ShouldBeEmpty();
        message.CreatedAt.ShouldBe(EvenLater);
    }

    [Fact]
    public void ReplyToGeneration_WhenCanceled_SaysSoWithoutAttachments()
    {
        var chat = NewChat();
        var job = JobFor(chat);
        job.Cancel(Finished);

        var message = chat.ReplyToGeneration(job, [], EvenLater);

        message.Role.ShouldBe(MessageRole.Assistant);
        message.Content.ShouldBe("The generation was canceled.");
        message.Attachments.ShouldBeEmpty();
    }

    [Fact]
    public void ReplyToGeneration_CountsTheMessageAndMovesTheChatsActivity()
    {
        var chat = NewChat();
        _ = chat.Post(MessageRole.User, Prompt, [], Later);
        var job = Completed(JobFor(chat));

        _ = chat.ReplyToGeneration(job, [FileOf(job, AssetFormat.Glb)], EvenLater);

        chat.MessageCount.ShouldBe(2);
        chat.LastMessageAt.ShouldBe(EvenLater);
        chat.LastActivityAt.ShouldBe(EvenLater);
        chat.UpdatedAt.ShouldBe(EvenLater);
    }

    [Fact]
    public void ReplyToGeneration_WhenQueued_ThrowsAndPostsNothing()
    {
        var chat = NewChat();

        var ex = Should.Throw<DomainException>(() => chat.ReplyToGeneration(JobFor(chat), [], EvenLater));

        ex.Message.ShouldBe("Only a finished job has an answer.");
        AssertUntouched(chat);
    }

    [Fact]
    public void ReplyToGeneration_WhenRunning_ThrowsAndPostsNothing()
    {
        var chat = NewChat();
        var job = JobFor(chat);
        job.Start("worker-1", Later, TimeSpan.FromMinutes(5));

        var ex = Should.Throw<DomainException>(() => chat.ReplyToGeneration(job, [], EvenLater));

        ex.Message.ShouldBe("Only a finished job has an answer.");
        AssertUntouched(chat);
    }

    [Fact]
    public void ReplyToGeneration_ForAJobOfAnotherChat_ThrowsAndPostsNothing()
    {
        var chat = NewChat();
        var job = Completed(JobFor(chat, chatId: NewChat().Id));

        var ex = Should.Throw<DomainException>(() => chat.ReplyToGeneration(job, [], EvenLater));

        ex.Message.ShouldBe("The job does not answer in this chat.");
        AssertUntouched(chat);
    }

    [Fact]
    public void ReplyToGeneration_ForAJobThatDoesNotReplyInChat_ThrowsAndPostsNothing()
    {
        var chat = NewChat();
        var job = Completed(JobFor(chat, replyInChat: false));

        var ex = Should.Throw<DomainException>(() => chat.ReplyToGeneration(job, [], EvenLater));

        ex.Message.ShouldBe("The job does not answer in this chat.");
        AssertUntouched(chat);
    }

    [Fact]
    public void ReplyToGeneration_ForAJobDetachedFromTheChat_ThrowsAndPostsNothing()
    {
        var chat = NewChat();
        var job = JobFor(chat);
        job.DetachFromChat(Later);
        job.Cancel(Finished);

        var ex = Should.Throw<DomainException>(() => chat.ReplyToGeneration(job, [], EvenLater));

        ex.Message.ShouldBe("The job does not answer in this chat.");
        AssertUntouched(chat);
    }
}
