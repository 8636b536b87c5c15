using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Credits;

/// <summary>
/// One row of a user's credit ledger, never changed once written; the balance is the sum of the rows. Entries that take
/// from the available credits (reserve, revoke) carry the next number of the user's debit sequence: two writers that
/// start from the same balance claim the same number and the database keeps only one, so no credit is ever spent
/// twice. Entries that only add (grant, refund) or settle what was reserved (spend) cannot overdraw, so they take no
/// number and never collide: a job's end is never held up by another request. Entries are made by <see cref="CreditBalance"/>.
/// </summary>
public class CreditEntry : BaseEntity
{
    public const int ReasonMaxLength = 500;
    public const int ReferenceMaxLength = 100;

    private CreditEntry()
    {
    }

    internal CreditEntry(Guid userId, long? sequence, CreditEntryKind kind, int amount, Guid? jobId, string? reason, string? reference, Guid? actorId, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        Sequence = sequence;
        Kind = kind;
        Amount = amount;
        JobId = jobId;
        Reason = Guard.Truncate(string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), ReasonMaxLength);
        Reference = reference is null ? null : Guard.NotBlank(reference, nameof(reference), ReferenceMaxLength);
        ActorId = actorId;
        CreatedAt = now;
    }

    public Guid UserId { get; private set; }

    /// <summary>1, 2, 3... per user for reserves and revokes, unique with the user; null for the other kinds.</summary>
    public long? Sequence { get; private set; }

    public CreditEntryKind Kind { get; private set; }

    /// <summary>The credits the entry moved (always positive; <see cref="Kind"/> says which way).</summary>
    public int Amount { get; private set; }

    /// <summary>The job a reserve, spend or refund belongs to.</summary>
    public Guid? JobId { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>What makes the entry happen only once, unique per user when set (<c>grant:2026-12</c>, <c>job:{id}:spend</c>).</summary>
    public string? Reference { get; private set; }

    /// <summary>The administrator who granted or revoked, if one did.</summary>
    public Guid? ActorId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The reference of a job's reserve, spend or refund: each happens once per job.</summary>
    public static string JobReference(Guid jobId, CreditEntryKind kind) => $"job:{jobId}:{kind.ToString().ToLowerInvariant()}";

    /// <summary>The reference of a user's grant for the calendar month (UTC) of <paramref name="now"/>.</summary>
    public static string MonthlyGrantReference(DateTime now) => $"grant:{now:yyyy-MM}";
}
