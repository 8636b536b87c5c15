using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Users.Commands.DeleteOwnAccount;

/// <summary>Deletes the caller's account, confirmed with their password: their data, then their files.</summary>
public sealed record DeleteOwnAccountCommand(string Password) : IRequest<Unit>;

public sealed class DeleteOwnAccountCommandValidator : AbstractValidator<DeleteOwnAccountCommand>
{
    public DeleteOwnAccountCommandValidator()
    {
        RuleFor(x => x.Password).NotEmpty().MaximumLength(128);
    }
}

public sealed class DeleteOwnAccountCommandHandler(
    IApplicationDbContext db,
    IIdentityService identity,
    AccountRemoval removal,
    AuditTrail audit,
    IUser caller) : IRequestHandler<DeleteOwnAccountCommand, Unit>
{
    public async Task<Unit> Handle(DeleteOwnAccountCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        var check = await identity.CheckPasswordAsync(userId, request.Password, cancellationToken);
        if (check.Outcome != PasswordCheckOutcome.Success)
        {
            throw ValidationFailedException.ForField("password", "Password is incorrect");
        }

        var assets = await db.Assets.CountAsync(a => a.UserId == userId, cancellationToken);
        audit.Record(AuditActions.AccountDeleted, userId, caller.Email, "user", userId.ToString(), new { assets });
        await removal.DeleteAsync(userId, cancellationToken);
        return Unit.Value;
    }
}
