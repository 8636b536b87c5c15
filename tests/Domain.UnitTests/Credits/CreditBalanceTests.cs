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
    public void Grant_AddsToAvailable_AndTakesTheNextSequence()
    {
        var entry = CreditBalance.Empty(UserId).Grant(100, "Monthly grant", "grant:2026-12", null, Now);

        (entry.UserId, entry.Sequence, entry.Kind, entry.Amount, entry.Available, entry.Reserved, entry.Reason, entry.Reference, entry.ActorId, entry.JobId, entry.CreatedAt)
            .ShouldBe((UserId, 1L, CreditEntryKind.Grant, 100, 100, 0, "Monthly grant", "grant:2026-12", (Guid?)null, (Guid?)null, Now));
    }

    [Fact]
    public void Reserve_MovesTheCostFromAvailableToReserved_OnceForTheJob()
    {
        var entry = Balance(5, 2).Reserve(JobId, 3, Now);

        (entry.Sequence, entry.Kind, entry.Amount, entry.Available, entry.Reserved, entry.JobId, entry.Reference)
            .ShouldBe((8L, CreditEntryKind.Reserve, 3, 2, 5, (Guid?)JobId, $"job:{JobId}:reserve"));
    }

    [Fact]
    public void Reserve_WhenTheCostIsExactlyAvailable_LeavesNothingAvailable()
    {
        var entry = Balance(3).Reserve(JobId, 3, Now);

        (entry.Available, entry.Reserved).ShouldBe((0, 3));
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
        var entry = Balance(2, 5).Spend(JobId, 3, Now);

        (entry.Kind, entry.Amount, entry.Available, entry.Reserved, entry.Reference).ShouldBe((CreditEntryKind.Spend, 3, 2, 2, $"job:{JobId}:spend"));
    }

    [Fact]
    public void Refund_MovesReservedCreditsBackToAvailable()
    {
        var entry = Balance(2, 5).Refund(JobId, 3, Now);

        (entry.Kind, entry.Amount, entry.Available, entry.Reserved, entry.Reference).ShouldBe((CreditEntryKind.Refund, 3, 5, 2, $"job:{JobId}:refund"));
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
    public void Revoke_TakesFromAvailable_AndNamesTheAdmin()
    {
        var entry = Balance(10, 4).Revoke(6, "Refund of a disputed charge", AdminId, Now);

        (entry.Kind, entry.Amount, entry.Available, entry.Reserved, entry.ActorId, entry.Reason, entry.Reference)
            .ShouldBe((CreditEntryKind.Revoke, 6, 4, 4, (Guid?)AdminId, "Refund of a disputed charge", (string?)null));
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
    public void EachEntry_LeavesTheBalanceTheNextEntryStartsFrom()
    {
        var granted = CreditBalance.Empty(UserId).Grant(10, "Monthly grant", "grant:2026-12", null, Now);
        var reserved = granted.Balance.Reserve(JobId, 4, Now);
        var refunded = reserved.Balance.Refund(JobId, 4, Now);

        refunded.Balance.ShouldBe(new CreditBalance(UserId, 3, 10, 0));
    }

    [Fact]
    public void MonthlyGrantReference_NamesTheCalendarMonth()
    {
        CreditEntry.MonthlyGrantReference(new DateTime(2027, 1, 31, 23, 59, 59, DateTimeKind.Utc)).ShouldBe("grant:2027-01");
    }
}
