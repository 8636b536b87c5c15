namespace CleanBackend.Domain.Credits;

/// <summary>What an entry of the credit ledger did to the balance.</summary>
public enum CreditEntryKind
{
    /// <summary>Credits added to the available balance (the monthly grant, or an administrator).</summary>
    Grant,

    /// <summary>Credits taken from the available balance by an administrator.</summary>
    Revoke,

    /// <summary>A new job's cost moved from available to reserved.</summary>
    Reserve,

    /// <summary>A completed job's reservation used up.</summary>
    Spend,

    /// <summary>A failed or canceled job's reservation given back to the available balance.</summary>
    Refund,
}
