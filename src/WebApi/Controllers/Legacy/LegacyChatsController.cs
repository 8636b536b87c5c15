using CleanBackend.Application.Usage.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Chats.Commands.CreateChat;
using CleanBackend.Application.Chats.Commands.DeleteChat;
using CleanBackend.Application.Chats.Commands.PinChat;
using CleanBackend.Application.Chats.Commands.UpdateChat;
using CleanBackend.Application.Chats.Queries.GetChatOverviews;
using CleanBackend.Application.Chats.Queries.GetChatWithMessages;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Jobs.Commands.CreateGenerationJob;
using CleanBackend.Domain.Assets;

namespace CleanBackend.WebApi.Controllers.Legacy;

/// <summary>A chat message is the prompt: it starts a generation whose model comes back as an assistant message.</summary>
[Route("legacy/api/chats")]
public sealed class LegacyChatsController : LegacyControllerBase
{
    /// <summary>The web app offers all three as downloads.</summary>
    private static readonly AssetFormat[] WebAppFormats = [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply];

    [HttpGet]
    public async Task<IEnumerable<LegacyChatSummary>> List(CancellationToken cancellationToken) =>
        (await Mediator.Send(new GetChatOverviewsQuery(), cancellationToken)).Select(LegacyChatSummary.From);

    [HttpGet("{id:guid}")]
    public async Task<LegacyChat> Get(Guid id, CancellationToken cancellationToken) =>
        LegacyChat.From(await Mediator.Send(new GetChatWithMessagesQuery(id), cancellationToken));

    [HttpPost]
    [UsageLimit(UsageLimitNames.Creation)]
    public async Task<ActionResult<LegacyChatSummary>> Create(LegacyChatRequest request, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, LegacyChatSummary.Created(await Mediator.Send(new CreateChatCommand(request.Title), cancellationToken)));

    [HttpPatch("{id:guid}")]
    public async Task<OkResponse> Change(Guid id, LegacyChatChange change, CancellationToken cancellationToken)
    {
        if (change is { Title: null, IsPinned: null })
        {
            throw ValidationFailedException.ForField("body", "Send a title or isPinned.");
        }

        if (change.Title is not null)
        {
            await Mediator.Send(new UpdateChatCommand(change.Title) { Id = id }, cancellationToken);
        }

        if (change.IsPinned is { } pinned)
        {
            await Mediator.Send(new PinChatCommand(id, pinned), cancellationToken);
        }

        return new OkResponse(true, "Chat updated");
    }

    [HttpDelete("{id:guid}")]
    public async Task<OkResponse> Delete(Guid id, CancellationToken cancellationToken)
    {
        await Mediator.Send(new DeleteChatCommand(id), cancellationToken);
        return new OkResponse(true, "Chat deleted");
    }

    [HttpPost("{id:guid}/messages")]
    [UsageLimit(UsageLimitNames.Generation, UsageLimitNames.Creation)]
    public async Task<ActionResult<LegacyGenerationStarted>> PostMessage(Guid id, LegacyMessageRequest message, CancellationToken cancellationToken)
    {
        if (message.Role is not (null or "user"))
        {
            throw ValidationFailedException.ForField("role", "Only user messages can be posted; the assistant answers with the model.");
        }

        var created = await Mediator.Send(new CreateGenerationJobCommand(message.Content, id, Formats: WebAppFormats) { PostToChat = true }, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, new LegacyGenerationStarted(true, created.Job.Id, created.Job.Status.ToString().ToLowerInvariant()));
    }
}
