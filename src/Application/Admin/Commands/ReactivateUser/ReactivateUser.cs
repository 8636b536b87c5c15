using CleanBackend.Application.Admin.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Admin.Commands.ReactivateUser;

public sealed record ReactivateUserCommand(Guid UserId) : IRequest<AdminUserResponse>;

public sealed class ReactivateUserCommandHandler(IIdentityService identity, ITokenStateCache tokenState, AuditTrail audit, IUser caller, IMapper mapper)
    : IRequestHandler<ReactivateUserCommand, AdminUserResponse>
{
    public async Task<AdminUserResponse> Handle(ReactivateUserCommand request, CancellationToken cancellationToken)
    {
        _ = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        audit.Record(AuditActions.UserReactivated, caller.Id, caller.Email, "user", request.UserId.ToString());
        var user = await identity.SetActiveAsync(request.UserId, true, cancellationToken);
        tokenState.UserChanged(request.UserId);
        return new AdminUserResponse(true, "User reactivated", mapper.Map<UserDto>(user));
    }
}
