using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Credits;

/// <summary>
/// A user's credits as the last ledger entry left them, and the rules for the next entry: a reservation needs that
/// many available credits, a spend or refund settles what was reserved, a revoke takes no more than is available.
/// </summary>
/// <param name="UserId">The owner of the ledger.</param>
/// <param name="Sequence">The sequence number of the last entry (0 before the first).</param>
/// <param name="Available">The credits free to reserve.</param>
/// <param name="Reserved">The credits held by unfinished jobs.</param>
public sealed record CreditBalance(Guid UserId, long Sequence, int Available, int Reserved)
{
    /// <summary>The balance of a user without entries.</summary>
    public static CreditBalance Empty(Guid userId) => new(userId, 0, 0, 0);

    public bool CanAfford(int cost) => cost <= Available;

    public CreditEntry Grant(int amount, string reason, string? reference, Guid? actorId, DateTime now)
    {
        Positive(amount);
        return Next(CreditEntryKind.Grant, amount, checked(Available + amount), Reserved, null, reason, reference, actorId, now);
    }

    public CreditEntry Revoke(int amount, string reason, Guid? actorId, DateTime now)
    {
        Positive(amount);
        if (amount > Available)
        {
            throw new DomainException($"Only {Credits(Available)} available; at most that many can be revoked.");
        }

        return Next(CreditEntryKind.Revoke, amount, Available - amount, Reserved, null, reason, null, actorId, now);
    }

    public CreditEntry Reserve(Guid jobId, int cost, DateTime now)
    {
        Positive(cost);
        if (!CanAfford(cost))
        {
            throw new InsufficientCreditsException(cost, Available);
        }

        return Next(CreditEntryKind.Reserve, cost, Available - cost, Reserved + cost, jobId, null, CreditEntry.JobReference(jobId, CreditEntryKind.Reserve), null, now);
    }

    /// <summary>A completed job uses up the <paramref name="amount"/> it reserved.</summary>
    public CreditEntry Spend(Guid jobId, int amount, DateTime now)
    {
        Settled(amount);
        return Next(CreditEntryKind.Spend, amount, Available, Reserved - amount, jobId, null, CreditEntry.JobReference(jobId, CreditEntryKind.Spend), null, now);
    }

    /// <summary>A failed or canceled job gives back the <paramref name="amount"/> it reserved.</summary>
    public CreditEntry Refund(Guid jobId, int amount, DateTime now)
    {
        Settled(amount);
        return Next(CreditEntryKind.Refund, amount, Available + amount, Reserved - amount, jobId, null, CreditEntry.JobReference(jobId, CreditEntryKind.Refund), null, now);
    }

    private CreditEntry Next(CreditEntryKind kind, int amount, int available, int reserved, Guid? jobId, string? reason, string? reference, Guid? actorId, DateTime now) =>
        new(UserId, Sequence + 1, kind, amount, available, reserved, jobId, reason, reference, actorId, now);

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
