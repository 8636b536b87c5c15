using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Moq;

namespace CleanBackend.Application.UnitTests.Common.Persistence;

public class ConcurrentChangeRetryTests
{
    private readonly Mock<IApplicationDbContext> _db = new();

    [Fact]
    public async Task Retry_WhenTheSecondRoundSaves_ReturnsItsResultAfterDiscardingTheFirstRoundsChanges()
    {
        var rounds = 0;

        var result = await _db.Object.RetryOnConcurrentChangeAsync(() =>
            ++rounds == 1 ? throw new DbUpdateConcurrencyException("changed meanwhile") : Task.FromResult("saved in round 2"));

        result.ShouldBe("saved in round 2");
        rounds.ShouldBe(2);
        _db.Verify(d => d.DiscardChanges(), Times.Once);
    }

    [Fact]
    public async Task Retry_WhenEveryRoundConflicts_GivesUpAfterThreeRoundsWithTheLastFailure()
    {
        var rounds = 0;

        var failure = await Should.ThrowAsync<DbUpdateConcurrencyException>(() => _db.Object.RetryOnConcurrentChangeAsync<int>(() =>
            throw new DbUpdateConcurrencyException($"changed meanwhile, round {++rounds}")));

        failure.Message.ShouldBe("changed meanwhile, round 3");
        _db.Verify(d => d.DiscardChanges(), Times.Exactly(2));
    }

    [Fact]
    public async Task Retry_WhenTheWorkFailsForAnotherReason_DoesNotRunItAgain()
    {
        var rounds = 0;

        await Should.ThrowAsync<InvalidOperationException>(() => _db.Object.RetryOnConcurrentChangeAsync<int>(() =>
        {
            rounds++;
            throw new InvalidOperationException("not a database conflict");
        }));

        rounds.ShouldBe(1);
        _db.Verify(d => d.DiscardChanges(), Times.Never);
    }
}
