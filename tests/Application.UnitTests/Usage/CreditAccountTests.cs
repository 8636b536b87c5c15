using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moq;

namespace CleanBackend.Application.UnitTests.Usage;

public class CreditAccountTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 15, 0, 0, DateTimeKind.Utc);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");

    private readonly Mock<IApplicationDbContext> _db = new();
    private readonly Mock<IIdentityService> _identity = new();

    private CreditAccount Account(bool builtIn = false, bool builtInFree = true) =>
        new(_db.Object, _identity.Object, Options.Create(new CreditsOptions { GeneratorIsBuiltIn = builtIn, BuiltInGeneratorIsFree = builtInFree }));

    private static GenerationJob Job(GenerationQuality quality, AssetFormat[] formats, bool test = false) =>
        new(UserId, "A small stone castle", null, formats, 1, quality, null, Now, testMode: test);

    [Theory]
    [InlineData(GenerationQuality.Standard, new[] { AssetFormat.Glb }, 2)]
    [InlineData(GenerationQuality.Draft, new[] { AssetFormat.Glb }, 1)]
    [InlineData(GenerationQuality.Draft, new[] { AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply }, 3)]
    [InlineData(GenerationQuality.Standard, new[] { AssetFormat.Obj, AssetFormat.Ply }, 3)]
    public void CostOf_AJobOnARemoteServer_IsByQualityPlusEachExtraFormat(GenerationQuality quality, AssetFormat[] formats, int cost)
    {
        Account().CostOf(Job(quality, formats)).ShouldBe(cost);
    }

    [Fact]
    public void CostOf_ATestJob_IsNothing_WhateverTheServer()
    {
        Account().CostOf(Job(GenerationQuality.Standard, [AssetFormat.Glb, AssetFormat.Obj], test: true)).ShouldBe(0);
        Account(builtIn: true, builtInFree: false).CostOf(Job(GenerationQuality.Standard, [AssetFormat.Glb], test: true)).ShouldBe(0);
    }

    [Fact]
    public void CostOf_AJobOnTheBuiltInGenerator_IsNothingByDefault_AndTheCostWhenConfigured()
    {
        Account(builtIn: true).CostOf(Job(GenerationQuality.Standard, [AssetFormat.Glb])).ShouldBe(0);
        Account(builtIn: true, builtInFree: false).CostOf(Job(GenerationQuality.Standard, [AssetFormat.Glb])).ShouldBe(2);
    }

    [Fact]
    public async Task PlanOfCaller_WithAToken_IsThePlanOfTheTokensRoles()
    {
        var caller = Caller(apiKeyId: null, "user", "admin");

        var plan = await Account().PlanOfCallerAsync(caller, CancellationToken.None);

        plan.Name.ShouldBe("admin");
        _identity.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PlanOfCaller_WithAnApiKey_IsThePlanOfItsOwnersRoles()
    {
        _identity.Setup(i => i.FindByIdAsync(UserId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UserAccount(UserId, "ada@example.com", "Ada", ["user", "admin"], true, true, Now, null, "{}", "stamp"));

        var plan = await Account().PlanOfCallerAsync(Caller(apiKeyId: Guid.NewGuid()), CancellationToken.None);

        (plan.Name, plan.MonthlyGrant).ShouldBe(("admin", 1000));
    }

    private static IUser Caller(Guid? apiKeyId, params string[] roles)
    {
        var caller = new Mock<IUser>();
        caller.SetupGet(u => u.Id).Returns(UserId);
        caller.SetupGet(u => u.ApiKeyId).Returns(apiKeyId);
        caller.SetupGet(u => u.Roles).Returns(roles);
        return caller.Object;
    }

    [Fact]
    public void PlanFor_SeveralRoles_TakesTheMostGenerousValueOfEach()
    {
        var plans = new CreditPlans
        {
            User = new CreditPlan { MonthlyGrant = 100, MaxActiveJobs = 5, GenerationsPerHour = 10, CreatesPer15Minutes = 30 },
            Admin = new CreditPlan { MonthlyGrant = 1000, MaxActiveJobs = 2, GenerationsPerHour = 20, CreatesPer15Minutes = 10 },
        };

        var plan = plans.For(["user", "admin"]);

        (plan.Name, plan.MonthlyGrant, plan.MaxActiveJobs, plan.GenerationsPerHour, plan.CreatesPer15Minutes).ShouldBe(("admin", 1000, 5, 20, 30));
        plans.For([]).Name.ShouldBe("user");
    }

    [Fact]
    public async Task LedgerRetry_WhenEveryRoundLosesTheRace_GivesUpWithAConflictThatSaysToTryAgain()
    {
        var rounds = 0;

        var failure = await Should.ThrowAsync<ConflictException>(() => _db.Object.RetryOnLedgerRaceAsync<int>(
            () => { rounds++; throw new DbUpdateException("duplicate sequence"); },
            CancellationToken.None));

        (rounds, failure.Message).ShouldBe((12, "Your credits were changed by other requests at the same moment; try again."));
        _db.Verify(d => d.DiscardChanges(), Times.Exactly(12));
    }
}
