using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Domain.Chats;

/// <summary>A conversation of one user; it keeps its message count and last activity so lists need no aggregate query.</summary>
public class Chat : BaseEntity
{
    public const int TitleMaxLength = 200;
    public const string DefaultTitle = "New chat";

    private Chat()
    {
        Title = DefaultTitle;
    }

    public Chat(Guid userId, string? title, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        Title = string.IsNullOrWhiteSpace(title) ? DefaultTitle : Guard.NotBlank(title, nameof(title), TitleMaxLength);
        CreatedAt = now;
        UpdatedAt = now;
        LastActivityAt = now;
    }

    public Guid UserId { get; private set; }

    public string Title { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? LastMessageAt { get; private set; }

    public int MessageCount { get; private set; }

    /// <summary>A pinned chat is listed before the others.</summary>
    public bool IsPinned { get; private set; }

    /// <summary>Newest activity first: the last message, or the creation for an empty chat.</summary>
    public DateTime LastActivityAt { get; private set; }

    public void Rename(string title, DateTime now)
    {
        Title = Guard.NotBlank(title, nameof(title), TitleMaxLength);
        UpdatedAt = now;
    }

    public void Pin(bool pinned, DateTime now)
    {
        if (IsPinned == pinned)
        {
            return;
        }

        IsPinned = pinned;
        UpdatedAt = now;
    }

    /// <summary>
    /// The assistant's answer to a generation asked for in this chat, once it has finished: the model's files when it
    /// completed (the mtl travels with its obj), otherwise a sentence saying it failed or was canceled, so a
    /// conversation never waits on a job that is over.
    /// </summary>
    public Message ReplyToGeneration(GenerationJob job, IEnumerable<Asset> files, DateTime now)
    {
        if (job.ChatId != Id || !job.ReplyInChat)
        {
            throw new DomainException("The job does not answer in this chat.");
        }

        (string Content, List<MessageAttachment> Attachments) reply = job.Status switch
        {
            JobStatus.Completed => ($"Your model is ready: {Shorten(job.Description)}", files
                .Where(f => f.JobId == job.Id && f.Format != AssetFormat.Mtl)
                .Select(f => new MessageAttachment(f.Format.IsImage() ? AttachmentType.Image : AttachmentType.Model, f.Id))
                .ToList()),
            JobStatus.Failed => ($"The model could not be generated: {job.Error}", []),
            JobStatus.Canceled => ("The generation was canceled.", []),
            _ => throw new DomainException("Only a finished job has an answer."),
        };
        return Post(MessageRole.Assistant, reply.Content, reply.Attachments, now);
    }

    /// <summary>
    /// The user's request for a generation in this chat: the prompt, with the input images attached (an image-only
    /// job says "(image)" or "(2 images)", since a message always has text).
    /// </summary>
    public Message AskForGeneration(GenerationJob job, DateTime now)
    {
        if (job.ChatId != Id || !job.ReplyInChat)
        {
            throw new DomainException("The job does not answer in this chat.");
        }

        return Post(MessageRole.User, job.Description, job.ImageAssetIds.Select(id => new MessageAttachment(AttachmentType.Image, id)), now);
    }

    public Message Post(MessageRole role, string content, IEnumerable<MessageAttachment> attachments, DateTime now)
    {
        var message = new Message(Id, role, content, attachments, now);
        MessageCount++;

        // A message stamped earlier than the last one (clock skew between instances) never moves activity back.
        if (LastMessageAt is null || now > LastMessageAt)
        {
            LastMessageAt = now;
            LastActivityAt = now;
            UpdatedAt = now;
        }
        return message;
    }

    private static string Shorten(string prompt) => prompt.Length <= 80 ? prompt : prompt[..77] + "...";
}
