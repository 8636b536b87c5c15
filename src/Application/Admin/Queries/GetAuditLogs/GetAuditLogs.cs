using System.Text.Json;

namespace CleanBackend.Application.Admin.Queries.GetAuditLogs;

/// <summary>The audit log, newest first, by action and by actor.</summary>
public sealed record GetAuditLogsQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, string? Action = null, Guid? ActorId = null)
    : IRequest<PaginatedList<AuditLogDto>>, IPageRequest;

/// <param name="Id">The entry.</param>
/// <param name="ActorId">Who acted (null for an anonymous caller, e.g. a failed login).</param>
/// <param name="ActorEmail">Their e-mail then.</param>
/// <param name="Action">What happened, e.g. admin.user_deactivated or auth.login_failed.</param>
/// <param name="TargetType">What it happened to (user, session…).</param>
/// <param name="TargetId">Which one.</param>
/// <param name="Details">What changed, as a JSON value.</param>
/// <param name="IpAddress">Where the request came from.</param>
/// <param name="CreatedAt">When.</param>
public sealed record AuditLogDto(Guid Id, Guid? ActorId, string? ActorEmail, string Action, string? TargetType, string? TargetId, JsonElement? Details, string? IpAddress, DateTime CreatedAt);

public sealed class GetAuditLogsQueryValidator : AbstractValidator<GetAuditLogsQuery>
{
    public GetAuditLogsQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.Action).MaximumLength(100);
    }
}

public sealed class GetAuditLogsQueryHandler(IApplicationDbContext db)
    : IRequestHandler<GetAuditLogsQuery, PaginatedList<AuditLogDto>>
{
    public async Task<PaginatedList<AuditLogDto>> Handle(GetAuditLogsQuery request, CancellationToken cancellationToken)
    {
        var logs = db.AuditLogs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Action))
        {
            logs = logs.Where(l => l.Action == request.Action);
        }

        if (request.ActorId is { } actorId)
        {
            logs = logs.Where(l => l.ActorId == actorId);
        }

        var page = await logs.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
        return new PaginatedList<AuditLogDto>(
            [.. page.Items.Select(l => new AuditLogDto(l.Id, l.ActorId, l.ActorEmail, l.Action, l.TargetType, l.TargetId, ParseDetails(l.Details), l.IpAddress, l.CreatedAt))],
            page.Page,
            page.Limit,
            page.Total);
    }

    private static JsonElement? ParseDetails(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return null;
        }

        using var document = JsonDocument.Parse(details);
        return document.RootElement.Clone();
    }
}
