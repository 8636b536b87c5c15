using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Webhooks.Commands.CreateWebhook;
using CleanBackend.Application.Webhooks.Commands.DeleteWebhook;
using CleanBackend.Application.Webhooks.Commands.RedeliverWebhookDelivery;
using CleanBackend.Application.Webhooks.Commands.RotateWebhookSecret;
using CleanBackend.Application.Webhooks.Commands.TestWebhook;
using CleanBackend.Application.Webhooks.Commands.UpdateWebhook;
using CleanBackend.Application.Webhooks.Common;
using CleanBackend.Application.Webhooks.Queries.GetWebhook;
using CleanBackend.Application.Webhooks.Queries.GetWebhookDeliveries;
using CleanBackend.Application.Webhooks.Queries.GetWebhooks;

namespace CleanBackend.WebApi.Controllers;

/// <summary>Signed HTTP callbacks when the caller's jobs complete, fail or are canceled.</summary>
[Route("api/webhooks")]
[Tags("Webhooks")]
public sealed class WebhooksController : ApiControllerBase
{
    /// <summary>Adds a webhook (at most 5); the answer's secret is shown this once.</summary>
    [HttpPost(Name = "CreateWebhook")]
    [ProducesResponseType<WebhookWithSecretDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<WebhookWithSecretDto>> Create(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        var created = await Mediator.Send(command, cancellationToken);
        return CreatedAtRoute("GetWebhook", new { id = created.Id }, created);
    }

    /// <summary>The caller's webhooks.</summary>
    [HttpGet(Name = "ListWebhooks")]
    [ProducesResponseType<IReadOnlyList<WebhookDto>>(StatusCodes.Status200OK)]
    public Task<IReadOnlyList<WebhookDto>> List(CancellationToken cancellationToken) =>
        Mediator.Send(new GetWebhooksQuery(), cancellationToken);

    [HttpGet("{id:guid}", Name = "GetWebhook")]
    [ProducesResponseType<WebhookDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookDto> Get(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new GetWebhookQuery(id), cancellationToken);

    /// <summary>Changes the URL, the events or whether it is enabled; enabling it again clears its failures.</summary>
    [HttpPatch("{id:guid}", Name = "UpdateWebhook")]
    [ProducesResponseType<WebhookDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookDto> Update(Guid id, UpdateWebhookCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { Id = id }, cancellationToken);

    /// <summary>Deletes the webhook and its deliveries.</summary>
    [HttpDelete("{id:guid}", Name = "DeleteWebhook")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await Mediator.Send(new DeleteWebhookCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>Gives the webhook a new signing secret, shown this once.</summary>
    [HttpPost("{id:guid}/rotate-secret", Name = "RotateWebhookSecret")]
    [ProducesResponseType<WebhookWithSecretDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookWithSecretDto> RotateSecret(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new RotateWebhookSecretCommand(id), cancellationToken);

    /// <summary>Sends a signed ping to the webhook; the answer is the delivery, attempted in the background.</summary>
    [HttpPost("{id:guid}/test", Name = "TestWebhook")]
    [ProducesResponseType<WebhookDeliveryDto>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<WebhookDeliveryDto>> Test(Guid id, CancellationToken cancellationToken) =>
        Accepted(await Mediator.Send(new TestWebhookCommand(id), cancellationToken));

    /// <summary>The webhook's deliveries, newest first, with every attempt's status code and duration.</summary>
    [HttpGet("{id:guid}/deliveries", Name = "ListWebhookDeliveries")]
    [ProducesResponseType<PaginatedList<WebhookDeliveryDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<PaginatedList<WebhookDeliveryDto>> Deliveries(Guid id, int page = 1, int limit = PageRequestRules.DefaultLimit, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetWebhookDeliveriesQuery(id, page, limit), cancellationToken);

    /// <summary>Sends a finished delivery again: same event, Webhook-Id and body; a delivery still pending is 409.</summary>
    [HttpPost("{id:guid}/deliveries/{deliveryId:guid}/redeliver", Name = "RedeliverWebhookDelivery")]
    [ProducesResponseType<WebhookDeliveryDto>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<WebhookDeliveryDto>> Redeliver(Guid id, Guid deliveryId, CancellationToken cancellationToken) =>
        Accepted(await Mediator.Send(new RedeliverWebhookDeliveryCommand(id, deliveryId), cancellationToken));
}
