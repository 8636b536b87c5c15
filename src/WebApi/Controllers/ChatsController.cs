using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Usage.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.Application.Chats.Commands.CreateChat;
using CleanBackend.Application.Chats.Commands.DeleteChat;
using CleanBackend.Application.Chats.Commands.UpdateChat;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Chats.Queries.GetChat;
using CleanBackend.Application.Chats.Queries.GetChats;
using CleanBackend.Application.Common.Models;

namespace CleanBackend.WebApi.Controllers;

[Route("api/chats")]
[Tags("Chats")]
public sealed class ChatsController : ApiControllerBase
{
    /// <summary>The caller's chats, newest activity first.</summary>
    [HttpGet(Name = "ListChats")]
    [ApiKeyScope(ApiKeyScopes.ChatsRead)]
    [ProducesResponseType<PaginatedList<ChatDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<ChatDto>> List(int page = 1, int limit = PageRequestRules.DefaultLimit, string? search = null, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetChatsQuery(page, limit, search), cancellationToken);

    [HttpPost(Name = "CreateChat")]
    [ApiKeyScope(ApiKeyScopes.ChatsWrite)]
    [UsageLimit(UsageLimitNames.Creation)]
    [ProducesResponseType<ChatDto>(StatusCodes.Status201Created)]
    public async Task<ActionResult<ChatDto>> Create(CreateChatCommand command, CancellationToken cancellationToken)
    {
        var chat = await Mediator.Send(command, cancellationToken);
        return CreatedAtRoute("GetChat", new { id = chat.Id }, chat);
    }

    [HttpGet("{id:guid}", Name = "GetChat")]

    [ApiKeyScope(ApiKeyScopes.ChatsRead)]
    [ProducesResponseType<ChatDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ChatDto> Get(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new GetChatQuery(id), cancellationToken);

    [HttpPatch("{id:guid}", Name = "RenameChat")]

    [ApiKeyScope(ApiKeyScopes.ChatsWrite)]
    [ProducesResponseType<ChatDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ChatDto> Rename(Guid id, UpdateChatCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { Id = id }, cancellationToken);

    [HttpDelete("{id:guid}", Name = "DeleteChat")]

    [ApiKeyScope(ApiKeyScopes.ChatsWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await Mediator.Send(new DeleteChatCommand(id), cancellationToken);
        return NoContent();
    }
}
