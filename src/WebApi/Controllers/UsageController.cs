using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Application.Usage.Queries.GetUsage;
using CleanBackend.Application.Usage.Queries.GetUsageHistory;
using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;

namespace CleanBackend.WebApi.Controllers;

[Route("api/usage")]
[Tags("Usage")]
public sealed class UsageController : ApiControllerBase
{
    /// <summary>The caller's credits (available, reserved, spent this month), plan, limits and when they reset.</summary>
    [HttpGet(Name = "GetUsage")]
    [ApiKeyScope(ApiKeyScopes.UsageRead)]
    [ProducesResponseType<UsageDto>(StatusCodes.Status200OK)]
    public Task<UsageDto> Get(CancellationToken cancellationToken) =>
        Mediator.Send(new GetUsageQuery(), cancellationToken);

    /// <summary>The caller's credit ledger (grants, revokes, reservations, spends, refunds), newest first.</summary>
    [HttpGet("history", Name = "GetUsageHistory")]
    [ApiKeyScope(ApiKeyScopes.UsageRead)]
    [ProducesResponseType<PaginatedList<CreditEntryDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<CreditEntryDto>> History(int page = 1, int limit = PageRequestRules.DefaultLimit, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetUsageHistoryQuery(page, limit), cancellationToken);
}
