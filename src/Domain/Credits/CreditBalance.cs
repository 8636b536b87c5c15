using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Credits;

/// <summary>
/// A user's credits as the sum of their ledger, and the rules for the next entry: a reservation needs that many
/// available credits, a spend or refund settles what was reserved, a revoke takes no more than is available.
/// </summary>
/// <param name="UserId">The owner of the ledger.</param>
/// <param name="DebitSequence">The sequence number of the last reserve or revoke (0 before the first).</param>
/// <param name="Available">The credits free to reserve.</param>
/// <param name="Reserved">The credits held by unfinished jobs.</param>
public sealed record CreditBalance(Guid UserId, long DebitSequence, int Available, int Reserved)
{
    /// <summary>The balance of a user without entries.</summary>
    public static CreditBalance Empty(Guid userId) => new(userId, 0, 0, 0);

    /// <summary>The balance of a ledger from the totals of each kind of entry and its last debit sequence number.</summary>
    public static CreditBalance FromTotals(Guid userId, IReadOnlyDictionary<CreditEntryKind, int> totals, long debitSequence)
    {
        int Total(CreditEntryKind kind) => totals.TryGetValue(kind, out var amount) ? amount : 0;
        var reserved = Total(CreditEntryKind.Reserve);
        var settled = Total(CreditEntryKind.Spend) + Total(CreditEntryKind.Refund);
        return new CreditBalance(
            userId,
            debitSequence,
            Total(CreditEntryKind.Grant) + Total(CreditEntryKind.Refund) - Total(CreditEntryKind.Revoke) - reserved,
            reserved - settled);
    }

    public bool CanAfford(int cost) => cost <= Available;

    public CreditEntry Grant(int amount, string reason, string? reference, Guid? actorId, DateTime now)
    {
        Positive(amount);
        return new CreditEntry(UserId, null, CreditEntryKind.Grant, amount, null, reason, reference, actorId, now);
    }

    public CreditEntry Revoke(int amount, string reason, Guid? actorId, DateTime now)
    {
        Positive(amount);
        if (amount > Available)
        {
            throw new DomainException($"Only {Credits(Available)} available; at most that many can be revoked.");
        }

        return new CreditEntry(UserId, DebitSequence + 1, CreditEntryKind.Revoke, amount, null, reason, null, actorId, now);
    }

    public CreditEntry Reserve(Guid jobId, int cost, DateTime now)
    {
        Positive(cost);
        if (!CanAfford(cost))
        {
            throw new InsufficientCreditsException(cost, Available);
        }

        return new CreditEntry(UserId, DebitSequence + 1, CreditEntryKind.Reserve, cost, jobId, null, CreditEntry.JobReference(jobId, CreditEntryKind.Reserve), null, now);
    }

    /// <summary>A completed job uses up the <paramref name="amount"/> it reserved.</summary>
    public CreditEntry Spend(Guid jobId, int amount, DateTime now)
    {
        Settled(amount);
        return new CreditEntry(UserId, null, CreditEntryKind.Spend, amount, jobId, null, CreditEntry.JobReference(jobId, CreditEntryKind.Spend), null, now);
    }

    /// <summary>A failed or canceled job gives back the <paramref name="amount"/> it reserved.</summary>
    public CreditEntry Refund(Guid jobId, int amount, DateTime now)
    {
        Settled(amount);
        return new CreditEntry(UserId, null, CreditEntryKind.Refund, amount, jobId, null, CreditEntry.JobReference(jobId, CreditEntryKind.Refund), null, now);
    }

    /// <summary>The balance once <paramref name="entry"/> is in the ledger.</summary>
    public CreditBalance After(CreditEntry entry) => entry.Kind switch
    {
        CreditEntryKind.Grant => this with { Available = Available + entry.Amount },
        CreditEntryKind.Revoke => this with { DebitSequence = entry.Sequence ?? DebitSequence, Available = Available - entry.Amount },
        CreditEntryKind.Reserve => this with { DebitSequence = entry.Sequence ?? DebitSequence, Available = Available - entry.Amount, Reserved = Reserved + entry.Amount },
        CreditEntryKind.Spend => this with { Reserved = Reserved - entry.Amount },
        CreditEntryKind.Refund => this with { Available = Available + entry.Amount, Reserved = Reserved - entry.Amount },
        _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, "Not a kind of credit entry."),
    };

    private void Settled(int amount)
    {
        Positive(amount);
        if (amount > Reserved)
        {
            throw new DomainException($"Only {Credits(Reserved)} reserved; a job cannot settle more than it reserved.");
        }
    }

    private static void Positive(int amount)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "An amount of credits must be positive.");
        }
    }

    internal static string Credits(int count) => count == 1 ? "1 credit" : $"{count} credits";
}

/// <summary>A job costs more credits than the user has available.</summary>
public sealed class InsufficientCreditsException : DomainException
{
    public InsufficientCreditsException(int cost, int available)
        : base($"This job costs {CreditBalance.Credits(cost)} and {available} {(available == 1 ? "is" : "are")} available.")
    {
        Cost = cost;
        Available = available;
    }

    public int Cost { get; }

    public int Available { get; }
}
