using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Usage.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.Application.Jobs.Commands.CreateGenerationJob;
using CleanBackend.Application.Jobs.Common;

namespace CleanBackend.WebApi.Controllers;

[Route("api/generate")]
[Tags("Generation")]
public sealed class GenerateController : ApiControllerBase
{
    /// <summary>
    /// Queues a text-to-3D generation and answers at once (202). With a chatId the prompt is added to the chat, and the
    /// finished model as an assistant message. A repeated Idempotency-Key returns the first job.
    /// </summary>
    [HttpPost(Name = "Generate")]
    [ApiKeyScope(ApiKeyScopes.JobsWrite)]
    [UsageLimit(UsageLimitNames.Generation, UsageLimitNames.Creation)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status402PaymentRequired, "application/problem+json")]
    [ProducesResponseType<JobCreatedResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<JobCreatedResponse>> Generate(
        CreateGenerationJobCommand command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken) =>
        Accepted(await Mediator.Send(command with { IdempotencyKey = idempotencyKey, PostToChat = true }, cancellationToken));
}
