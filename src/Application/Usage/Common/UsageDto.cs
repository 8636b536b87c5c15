using CleanBackend.Domain.Credits;

namespace CleanBackend.Application.Usage.Common;

/// <summary>A user's credits, plan and limits.</summary>
/// <param name="Balance">Credits available to new jobs.</param>
/// <param name="Reserved">Credits held by queued and running jobs until they finish.</param>
/// <param name="SpentThisPeriod">Credits spent by jobs completed this period.</param>
/// <param name="Period">The current period: the calendar month (UTC).</param>
/// <param name="Plan">The plan of the user's roles.</param>
/// <param name="Limits">Each limit in its current window; empty while limits are switched off.</param>
/// <param name="ActiveJobs">Queued and running jobs.</param>
/// <param name="MaxActiveJobs">The most active jobs the plan allows; null while limits are switched off.</param>
public sealed record UsageDto(
    int Balance,
    int Reserved,
    int SpentThisPeriod,
    UsagePeriodDto Period,
    UsagePlanDto Plan,
    IReadOnlyList<UsageLimitDto> Limits,
    int ActiveJobs,
    int? MaxActiveJobs);

/// <param name="Start">The first instant of the period.</param>
/// <param name="End">The first instant after it, when the next monthly grant becomes due.</param>
public sealed record UsagePeriodDto(DateTime Start, DateTime End);

/// <param name="Name">The role whose plan gives the monthly grant.</param>
/// <param name="MonthlyGrant">Credits granted each calendar month.</param>
/// <param name="MaxActiveJobs">Queued and running jobs at once.</param>
/// <param name="GenerationsPerHour">Jobs created per clock hour.</param>
/// <param name="CreatesPer15Minutes">Chats, messages, uploads and jobs created per quarter hour.</param>
public sealed record UsagePlanDto(string Name, int MonthlyGrant, int MaxActiveJobs, int GenerationsPerHour, int CreatesPer15Minutes);

/// <param name="Name">generation or creation.</param>
/// <param name="Limit">The most allowed in one window.</param>
/// <param name="Remaining">What is left in the current window.</param>
/// <param name="WindowSeconds">The length of a window.</param>
/// <param name="ResetsAt">When the current window ends.</param>
public sealed record UsageLimitDto(string Name, int Limit, int Remaining, int WindowSeconds, DateTime ResetsAt);

/// <summary>One entry of the credit ledger.</summary>
/// <param name="Id">The entry.</param>
/// <param name="Sequence">Its place among the user's reserves and revokes (1, 2, 3...); null for other kinds.</param>
/// <param name="Kind">grant, revoke, reserve, spend or refund.</param>
/// <param name="Amount">The credits it moved.</param>
/// <param name="JobId">The job of a reserve, spend or refund.</param>
/// <param name="Reason">Why credits were granted or revoked.</param>
/// <param name="ActorId">The administrator who granted or revoked them.</param>
/// <param name="CreatedAt">When it happened.</param>
public sealed record CreditEntryDto(Guid Id, long? Sequence, CreditEntryKind Kind, int Amount, Guid? JobId, string? Reason, Guid? ActorId, DateTime CreatedAt);

/// <summary>Builds the usage answer of one user (their own, or any user's for an administrator).</summary>
public sealed class UsageReport(IApplicationDbContext db, CreditAccount credits, UsageLimits limits, TimeProvider clock)
{
    public async Task<UsageDto> ForAsync(Guid userId, CreditPlan plan, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        // Reading the balance is the first need of the month as much as a job is: the grant is saved here too.
        var balance = await db.RetryOnLedgerRaceAsync(
            async () =>
            {
                var opened = await credits.OpenAsync(userId, plan, now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return opened;
            },
            cancellationToken);

        var (start, end) = CreditAccount.PeriodOf(now);
        var spent = await db.CreditEntries
            .Where(e => e.UserId == userId && e.Kind == CreditEntryKind.Spend && e.CreatedAt >= start && e.CreatedAt < end)
            .SumAsync(e => (int?)e.Amount, cancellationToken) ?? 0;
        var windows = limits.Enabled
            ? await limits.ReadAsync(userId, plan, [UsageLimitNames.Generation, UsageLimitNames.Creation], now, cancellationToken)
            : [];
        return new UsageDto(
            balance.Available,
            balance.Reserved,
            spent,
            new UsagePeriodDto(start, end),
            new UsagePlanDto(plan.Name, plan.MonthlyGrant, plan.MaxActiveJobs, plan.GenerationsPerHour, plan.CreatesPer15Minutes),
            [.. windows.Select(w => new UsageLimitDto(w.Name, w.Limit, w.Remaining, w.WindowSeconds, w.ResetsAt))],
            await limits.CountActiveJobsAsync(userId, cancellationToken),
            limits.Enabled ? plan.MaxActiveJobs : null);
    }

    /// <summary>The user's ledger, newest first.</summary>
    public Task<PaginatedList<CreditEntryDto>> HistoryAsync(Guid userId, int page, int limit, CancellationToken cancellationToken) =>
        db.CreditEntries.AsNoTracking()
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Select(e => new CreditEntryDto(e.Id, e.Sequence, e.Kind, e.Amount, e.JobId, e.Reason, e.ActorId, e.CreatedAt))
            .ToPaginatedListAsync(page, limit, cancellationToken);
}
