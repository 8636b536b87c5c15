using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Admin.Commands.DeleteUser;

/// <summary>An admin deletes a user for good: data, then files. Deleting oneself is refused.</summary>
public sealed record DeleteUserCommand(Guid UserId) : IRequest<OkResponse>;

public sealed class DeleteUserCommandHandler(IApplicationDbContext db, IIdentityService identity, AccountRemoval removal, AuditTrail audit, IUser caller)
    : IRequestHandler<DeleteUserCommand, OkResponse>
{
    public async Task<OkResponse> Handle(DeleteUserCommand request, CancellationToken cancellationToken)
    {
        if (request.UserId == caller.RequiredId())
        {
            throw ValidationFailedException.ForField("id", "Cannot delete your own account");
        }

        var user = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        var assets = await db.Assets.CountAsync(a => a.UserId == user.Id, cancellationToken);
        audit.Record(AuditActions.UserDeletedByAdmin, caller.Id, caller.Email, "user", user.Id.ToString(), new { email = user.Email, assets });
        await removal.DeleteAsync(user.Id, cancellationToken);
        return new OkResponse(true, "User deleted");
    }
}
