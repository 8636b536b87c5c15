using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Usage.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Messages.Commands.CreateMessage;
using CleanBackend.Application.Messages.Common;
using CleanBackend.Application.Messages.Queries.GetMessages;

namespace CleanBackend.WebApi.Controllers;

[Route("api/messages")]
[Tags("Messages")]
public sealed class MessagesController : ApiControllerBase
{
    /// <summary>The messages of one of the caller's chats, oldest first.</summary>
    [HttpGet(Name = "ListMessages")]
    [ApiKeyScope(ApiKeyScopes.ChatsRead)]
    [ProducesResponseType<PaginatedList<MessageDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<PaginatedList<MessageDto>> List(Guid chatId, int page = 1, int limit = PageRequestRules.DefaultLimit, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetMessagesQuery(chatId, page, limit), cancellationToken);

    /// <summary>Posts a message to one of the caller's chats; attachments must be the caller's own assets.</summary>
    [HttpPost(Name = "CreateMessage")]
    [ApiKeyScope(ApiKeyScopes.ChatsWrite)]
    [UsageLimit(UsageLimitNames.Creation)]
    [ProducesResponseType<MessageDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<MessageDto>> Create(CreateMessageCommand command, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await Mediator.Send(command, cancellationToken));
}
