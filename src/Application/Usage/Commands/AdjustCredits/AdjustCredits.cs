using System.Text.Json.Serialization;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Domain.Credits;

namespace CleanBackend.Application.Usage.Commands.AdjustCredits;

/// <summary>An administrator grants (positive amount) or revokes (negative amount) a user's credits, with a reason.</summary>
/// <param name="Amount">Credits to add, or with a minus sign to take away (no more than are available).</param>
/// <param name="Reason">Why, for the ledger and the audit log.</param>
public sealed record AdjustCreditsCommand(int Amount, string Reason) : IRequest<UsageDto>
{
    /// <summary>The user, from the route.</summary>
    [JsonIgnore]
    public Guid UserId { get; init; }
}

public sealed class AdjustCreditsCommandValidator : AbstractValidator<AdjustCreditsCommand>
{
    public const int MaxAmount = 1_000_000;

    public AdjustCreditsCommandValidator()
    {
        RuleFor(x => x.Amount).NotEqual(0).WithMessage("Amount must not be 0: positive to grant, negative to revoke.")
            .InclusiveBetween(-MaxAmount, MaxAmount);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(CreditEntry.ReasonMaxLength);
    }
}

public sealed class AdjustCreditsCommandHandler(
    IApplicationDbContext db, IUser caller, IIdentityService identity, CreditAccount credits, UsageReport report, AuditTrail audit, TimeProvider clock)
    : IRequestHandler<AdjustCreditsCommand, UsageDto>
{
    public async Task<UsageDto> Handle(AdjustCreditsCommand request, CancellationToken cancellationToken)
    {
        var account = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        var plan = credits.PlanFor(account.Roles);
        var reason = request.Reason.Trim();
        await db.RetryOnLedgerRaceAsync(
            async () =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var balance = await credits.OpenAsync(account.Id, plan, now, cancellationToken);
                var entry = request.Amount > 0
                    ? balance.Grant(request.Amount, reason, null, caller.Id, now)
                    : balance.Revoke(-request.Amount, reason, caller.Id, now);
                db.CreditEntries.Add(entry);
                audit.Record(
                    request.Amount > 0 ? AuditActions.CreditsGranted : AuditActions.CreditsRevoked,
                    caller.Id,
                    caller.Email,
                    "User",
                    account.Id.ToString(),
                    new { amount = entry.Amount, reason, available = balance.After(entry).Available });
                await db.SaveChangesAsync(cancellationToken);
                return entry;
            },
            cancellationToken);
        return await report.ForAsync(account.Id, plan, cancellationToken);
    }
}
