using CleanBackend.Application.ApiKeys.Commands.CreateApiKey;
using CleanBackend.Application.ApiKeys.Commands.RevokeApiKey;
using CleanBackend.Application.ApiKeys.Common;
using CleanBackend.Application.ApiKeys.Queries.GetApiKeys;

namespace CleanBackend.WebApi.Controllers;

/// <summary>The caller's personal API keys; managed with a signed-in session only, never with a key.</summary>
[Route("api/api-keys")]
[Tags("ApiKeys")]
public sealed class ApiKeysController : ApiControllerBase
{
    /// <summary>The caller's keys that are not revoked, newest first, without their secrets.</summary>
    [HttpGet(Name = "ListApiKeys")]
    [ProducesResponseType<IReadOnlyList<ApiKeyDto>>(StatusCodes.Status200OK)]
    public Task<IReadOnlyList<ApiKeyDto>> List(CancellationToken cancellationToken) =>
        Mediator.Send(new GetApiKeysQuery(), cancellationToken);

    /// <summary>Makes a key (at most 10 per user; 409 beyond); the answer holds its secret, shown this once.</summary>
    [HttpPost(Name = "CreateApiKey")]
    [ProducesResponseType<ApiKeyCreatedDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<ApiKeyCreatedDto>> Create(CreateApiKeyCommand command, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await Mediator.Send(command, cancellationToken));

    /// <summary>Revokes a key: its next request is refused.</summary>
    [HttpDelete("{id:guid}", Name = "RevokeApiKey")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken cancellationToken)
    {
        await Mediator.Send(new RevokeApiKeyCommand(id), cancellationToken);
        return NoContent();
    }
}
