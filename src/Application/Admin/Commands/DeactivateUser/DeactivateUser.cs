using CleanBackend.Application.Admin.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Admin.Commands.DeactivateUser;

/// <summary>An admin deactivates a user: every session ends and access tokens fail at once.</summary>
public sealed record DeactivateUserCommand(Guid UserId) : IRequest<AdminUserResponse>;

public sealed class DeactivateUserCommandHandler(IIdentityService identity, AccountRemoval removal, AuditTrail audit, IUser caller, IMapper mapper)
    : IRequestHandler<DeactivateUserCommand, AdminUserResponse>
{
    public async Task<AdminUserResponse> Handle(DeactivateUserCommand request, CancellationToken cancellationToken)
    {
        if (request.UserId == caller.RequiredId())
        {
            throw ValidationFailedException.ForField("id", "Cannot deactivate your own account");
        }

        _ = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        audit.Record(AuditActions.UserDeactivated, caller.Id, caller.Email, "user", request.UserId.ToString());
        var user = await identity.SetActiveAsync(request.UserId, false, cancellationToken);
        await removal.EndSessionsAsync(request.UserId, "deactivated", cancellationToken);
        return new AdminUserResponse(true, "User deactivated", mapper.Map<UserDto>(user));
    }
}
