using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Usage.Commands.AdjustCredits;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Application.Usage.Queries.GetUsage;
using CleanBackend.Application.Usage.Queries.GetUsageHistory;
using CleanBackend.Domain.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace CleanBackend.WebApi.Controllers;

/// <summary>Any user's credits and usage, for administrators.</summary>
[Route("api/admin/users/{id:guid}")]
[Tags("Admin")]
[Authorize(Roles = Roles.Admin)]
// Declaring 403 here hides the base class's declarations from the OpenAPI document, so they are repeated.
[ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
public sealed class AdminUsageController : ApiControllerBase
{
    /// <summary>Grants (positive amount) or revokes (negative amount) a user's credits, with a reason; audited. Revoking more than is available is 409.</summary>
    [HttpPost("credits", Name = "AdminAdjustCredits")]
    [ProducesResponseType<UsageDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<UsageDto> AdjustCredits(Guid id, AdjustCreditsCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { UserId = id }, cancellationToken);

    /// <summary>A user's credits, plan and limits.</summary>
    [HttpGet("usage", Name = "AdminGetUsage")]
    [ProducesResponseType<UsageDto>(StatusCodes.Status200OK)]
    public Task<UsageDto> Usage(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new GetUsageQuery(id), cancellationToken);

    /// <summary>A user's credit ledger, newest first.</summary>
    [HttpGet("usage/history", Name = "AdminGetUsageHistory")]
    [ProducesResponseType<PaginatedList<CreditEntryDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<CreditEntryDto>> History(Guid id, int page = 1, int limit = PageRequestRules.DefaultLimit, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetUsageHistoryQuery(page, limit, id), cancellationToken);
}
