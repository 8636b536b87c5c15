using System.Globalization;
using Microsoft.Extensions.Options;
using CleanBackend.Domain.Credits;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Usage.Common;

/// <summary>A user's credits as the use cases need them: what a job costs, the balance, and the monthly grant.</summary>
public sealed class CreditAccount(IApplicationDbContext db, IIdentityService identity, IOptions<CreditsOptions> options)
{
    public CreditsOptions Options => options.Value;

    /// <summary>Test jobs, and by default jobs on the built-in generator, are free; else by quality and formats.</summary>
    public int CostOf(GenerationJob job)
    {
        var settings = options.Value;
        if (job.IsTest || (settings.GeneratorIsBuiltIn && settings.BuiltInGeneratorIsFree))
        {
            return 0;
        }

        var quality = job.Quality == GenerationQuality.Draft ? settings.Costs.Draft : settings.Costs.Standard;
        return Math.Max(0, quality + (settings.Costs.ExtraFormat * Math.Max(0, job.Formats.Count - 1)));
    }

    public CreditPlan PlanFor(IEnumerable<string> roles) => options.Value.Plans.For(roles);

    /// <summary>
    /// The caller's plan. A token carries its roles; an API key carries none (so no admin route opens to it), and
    /// its plan comes from its owner's roles.
    /// </summary>
    public async Task<CreditPlan> PlanOfCallerAsync(IUser caller, CancellationToken cancellationToken)
    {
        if (caller.ApiKeyId is null)
        {
            return PlanFor(caller.Roles);
        }

        var owner = await identity.FindByIdAsync(caller.RequiredId(), cancellationToken);
        return PlanFor(owner?.Roles ?? []);
    }

    /// <summary>The balance: the sums of the user's entries of each kind, read in one query.</summary>
    public async Task<CreditBalance> ReadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var totals = await db.CreditEntries.AsNoTracking()
            .Where(e => e.UserId == userId)
            .GroupBy(e => e.Kind)
            .Select(g => new { Kind = g.Key, Amount = g.Sum(e => e.Amount), Sequence = g.Max(e => e.Sequence) })
            .ToListAsync(cancellationToken);
        return CreditBalance.FromTotals(userId, totals.ToDictionary(t => t.Kind, t => t.Amount), totals.Max(t => t.Sequence) ?? 0);
    }

    /// <summary>
    /// The balance, with this month's grant added to the unit of work (not saved) when the user has not had it yet:
    /// the grant comes the first time the balance is needed in a calendar month, and its reference makes it once.
    /// </summary>
    public async Task<CreditBalance> OpenAsync(Guid userId, CreditPlan plan, DateTime now, CancellationToken cancellationToken)
    {
        var balance = await ReadAsync(userId, cancellationToken);
        var reference = CreditEntry.MonthlyGrantReference(now);
        if (plan.MonthlyGrant <= 0 || await db.CreditEntries.AnyAsync(e => e.UserId == userId && e.Reference == reference, cancellationToken))
        {
            return balance;
        }

        var grant = balance.Grant(plan.MonthlyGrant, string.Create(CultureInfo.InvariantCulture, $"Monthly grant of the {plan.Name} plan for {now:MMMM yyyy}"), reference, null, now);
        db.CreditEntries.Add(grant);
        return balance.After(grant);
    }

    /// <summary>The first instant of the calendar month (UTC) of <paramref name="now"/>, and of the next.</summary>
    public static (DateTime Start, DateTime End) PeriodOf(DateTime now)
    {
        var start = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return (start, start.AddMonths(1));
    }
}

public static class LedgerRetry
{
    // Each round of a race saves one writer's entry; the rest read again. Enough rounds for a burst on one balance.
    private const int MaxAttempts = 12;

    /// <summary>
    /// Runs a unit of work that appends to a ledger, again from a fresh read when its save lost a race for the next
    /// debit sequence number (or a grant's reference) to another request. A failed save wrote nothing.
    /// </summary>
    public static async Task<T> RetryOnLedgerRaceAsync<T>(this IApplicationDbContext db, Func<Task<T>> unitOfWork, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unitOfWork();
            }
            catch (DbUpdateException ex)
            {
                db.DiscardChanges();
                if (attempt == MaxAttempts)
                {
                    throw new ConflictException("Your credits were changed by other requests at the same moment; try again.", ex);
                }

                // A little random wait, so the losers of one round do not meet again in the next.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }
}
