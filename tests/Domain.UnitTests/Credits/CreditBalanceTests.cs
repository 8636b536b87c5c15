using CleanBackend.Domain.Common;
using CleanBackend.Domain.Credits;

namespace CleanBackend.Domain.UnitTests.Credits;

public class CreditBalanceTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 15, 0, 0, DateTimeKind.Utc);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly Guid JobId = Guid.Parse("0197a1b2-0000-7000-8000-000000000002");
    private static readonly Guid AdminId = Guid.Parse("0197a1b2-0000-7000-8000-000000000003");

    private static CreditBalance Balance(int available, int reserved = 0) => new(UserId, 7, available, reserved);

    [Fact]
    public void Grant_AddsToAvailable_WithoutADebitNumber()
    {
        var balance = CreditBalance.Empty(UserId);

        var entry = balance.Grant(100, "Monthly grant", "grant:2026-12", null, Now);

        (entry.UserId, entry.Sequence, entry.Kind, entry.Amount, entry.Reason, entry.Reference, entry.ActorId, entry.JobId, entry.CreatedAt)
            .ShouldBe((UserId, (long?)null, CreditEntryKind.Grant, 100, "Monthly grant", "grant:2026-12", (Guid?)null, (Guid?)null, Now));
        balance.After(entry).ShouldBe(new CreditBalance(UserId, 0, 100, 0));
    }

    [Fact]
    public void Reserve_MovesTheCostFromAvailableToReserved_UnderTheNextDebitNumber_OnceForTheJob()
    {
        var balance = Balance(5, 2);

        var entry = balance.Reserve(JobId, 3, Now);

        (entry.Sequence, entry.Kind, entry.Amount, entry.JobId, entry.Reference).ShouldBe(((long?)8, CreditEntryKind.Reserve, 3, (Guid?)JobId, $"job:{JobId}:reserve"));
        balance.After(entry).ShouldBe(new CreditBalance(UserId, 8, 2, 5));
    }

    [Fact]
    public void Reserve_WhenTheCostIsExactlyAvailable_LeavesNothingAvailable()
    {
        var balance = Balance(3);

        balance.After(balance.Reserve(JobId, 3, Now)).ShouldBe(new CreditBalance(UserId, 8, 0, 3));
    }

    [Fact]
    public void Reserve_WhenFewerCreditsAreAvailable_FailsWithTheCostAndTheBalance()
    {
        var balance = Balance(1, 4);

        var error = Should.Throw<InsufficientCreditsException>(() => balance.Reserve(JobId, 3, Now));

        (error.Cost, error.Available, error.Message).ShouldBe((3, 1, "This job costs 3 credits and 1 is available."));
        balance.CanAfford(3).ShouldBeFalse();
    }

    [Fact]
    public void Spend_MovesReservedCreditsOut_AndLeavesAvailableAlone()
    {
        var balance = Balance(2, 5);

        var entry = balance.Spend(JobId, 3, Now);

        (entry.Sequence, entry.Kind, entry.Amount, entry.Reference).ShouldBe(((long?)null, CreditEntryKind.Spend, 3, $"job:{JobId}:spend"));
        balance.After(entry).ShouldBe(new CreditBalance(UserId, 7, 2, 2));
    }

    [Fact]
    public void Refund_MovesReservedCreditsBackToAvailable()
    {
        var balance = Balance(2, 5);

        var entry = balance.Refund(JobId, 3, Now);

        (entry.Sequence, entry.Kind, entry.Amount, entry.Reference).ShouldBe(((long?)null, CreditEntryKind.Refund, 3, $"job:{JobId}:refund"));
        balance.After(entry).ShouldBe(new CreditBalance(UserId, 7, 5, 2));
    }

    [Theory]
    [InlineData(CreditEntryKind.Spend)]
    [InlineData(CreditEntryKind.Refund)]
    public void Settling_MoreThanIsReserved_Fails(CreditEntryKind kind)
    {
        var balance = Balance(10, 2);

        Should.Throw<DomainException>(() => kind == CreditEntryKind.Spend ? balance.Spend(JobId, 3, Now) : balance.Refund(JobId, 3, Now))
            .Message.ShouldBe("Only 2 credits reserved; a job cannot settle more than it reserved.");
    }

    [Fact]
    public void Revoke_TakesFromAvailable_UnderTheNextDebitNumber_AndNamesTheAdmin()
    {
        var balance = Balance(10, 4);

        var entry = balance.Revoke(6, "Refund of a disputed charge", AdminId, Now);

        (entry.Sequence, entry.Kind, entry.Amount, entry.ActorId, entry.Reason, entry.Reference)
            .ShouldBe(((long?)8, CreditEntryKind.Revoke, 6, (Guid?)AdminId, "Refund of a disputed charge", (string?)null));
        balance.After(entry).ShouldBe(new CreditBalance(UserId, 8, 4, 4));
    }

    [Fact]
    public void Revoke_MoreThanIsAvailable_Fails_EvenWhenCreditsAreReserved()
    {
        Should.Throw<DomainException>(() => Balance(1, 10).Revoke(2, "Too much", AdminId, Now))
            .Message.ShouldBe("Only 1 credit available; at most that many can be revoked.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Amounts_ThatAreNotPositive_AreRefused(int amount)
    {
        var balance = Balance(10, 10);

        Should.Throw<ArgumentOutOfRangeException>(() => balance.Grant(amount, "x", null, AdminId, Now));
        Should.Throw<ArgumentOutOfRangeException>(() => balance.Revoke(amount, "x", AdminId, Now));
        Should.Throw<ArgumentOutOfRangeException>(() => balance.Reserve(JobId, amount, Now));
        Should.Throw<ArgumentOutOfRangeException>(() => balance.Spend(JobId, amount, Now));
        Should.Throw<ArgumentOutOfRangeException>(() => balance.Refund(JobId, amount, Now));
    }

    [Fact]
    public void FromTotals_SumsTheLedger_AsTheEntriesLeftIt()
    {
        var ledger = CreditBalance.Empty(UserId);
        var entries = new List<CreditEntry>();
        void Add(Func<CreditBalance, CreditEntry> next)
        {
            var entry = next(ledger);
            entries.Add(entry);
            ledger = ledger.After(entry);
        }

        var other = Guid.Parse("0197a1b2-0000-7000-8000-000000000004");
        Add(b => b.Grant(10, "Monthly grant", "grant:2026-12", null, Now));
        Add(b => b.Reserve(JobId, 4, Now));
        Add(b => b.Reserve(other, 3, Now));
        Add(b => b.Spend(JobId, 4, Now));
        Add(b => b.Refund(other, 3, Now));
        Add(b => b.Revoke(2, "Correction", AdminId, Now));

        var totals = entries.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Sum(e => e.Amount));
        var summed = CreditBalance.FromTotals(UserId, totals, entries.Max(e => e.Sequence) ?? 0);

        summed.ShouldBe(new CreditBalance(UserId, 3, 4, 0));
        summed.ShouldBe(ledger);
        entries.Select(e => e.Sequence).ShouldBe([null, 1, 2, null, null, 3]);
    }

    [Fact]
    public void MonthlyGrantReference_NamesTheCalendarMonth()
    {
        CreditEntry.MonthlyGrantReference(new DateTime(2027, 1, 31, 23, 59, 59, DateTimeKind.Utc)).ShouldBe("grant:2027-01");
    }
}
