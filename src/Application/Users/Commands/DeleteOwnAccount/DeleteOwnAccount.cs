using CleanBackend.Application.Common.Security;

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
    IFileStorage storage,
    ITokenStateCache tokenState,
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

        var files = await db.Assets.AsNoTracking().Where(a => a.UserId == userId).Select(a => a.StorageKey).ToListAsync(cancellationToken);
        audit.Record(AuditActions.AccountDeleted, userId, caller.Email, "user", userId.ToString(), new { assets = files.Count });
        await identity.DeleteUserAsync(userId, cancellationToken);
        tokenState.UserChanged(userId);

        // The rows are gone; now the files they pointed at.
        foreach (var key in files)
        {
            await storage.DeleteAsync(key, CancellationToken.None);
        }

        return Unit.Value;
    }
}
