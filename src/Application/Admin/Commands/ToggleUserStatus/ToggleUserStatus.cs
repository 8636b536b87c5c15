using CleanBackend.Application.Admin.Commands.DeactivateUser;
using CleanBackend.Application.Admin.Commands.ReactivateUser;
using CleanBackend.Application.Admin.Common;

namespace CleanBackend.Application.Admin.Commands.ToggleUserStatus;

/// <summary>An admin flips a user between active and deactivated, with everything each of those does (sessions end, audit).</summary>
public sealed record ToggleUserStatusCommand(Guid UserId) : IRequest<AdminUserResponse>;

public sealed class ToggleUserStatusCommandHandler(IIdentityService identity, IMediator mediator)
    : IRequestHandler<ToggleUserStatusCommand, AdminUserResponse>
{
    public async Task<AdminUserResponse> Handle(ToggleUserStatusCommand request, CancellationToken cancellationToken)
    {
        var user = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        return user.IsActive
            ? await mediator.Send(new DeactivateUserCommand(user.Id), cancellationToken)
            : await mediator.Send(new ReactivateUserCommand(user.Id), cancellationToken);
    }
}
