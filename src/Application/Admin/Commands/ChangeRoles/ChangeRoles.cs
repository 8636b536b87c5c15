using System.Text.Json.Serialization;
using CleanBackend.Application.Admin.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Admin.Commands.ChangeRoles;

/// <summary>An admin sets a user's roles; the user's current tokens stop working so the change applies at once.</summary>
public sealed record ChangeRolesCommand(IReadOnlyList<string> Roles) : IRequest<AdminUserResponse>
{
    [JsonIgnore]
    public Guid UserId { get; init; }
}

public sealed class ChangeRolesCommandValidator : AbstractValidator<ChangeRolesCommand>
{
    public ChangeRolesCommandValidator()
    {
        RuleFor(x => x.Roles).NotEmpty().WithMessage("Give at least one role.");
        RuleForEach(x => x.Roles).Must(Roles.IsKnown).WithMessage(Roles.OneOfMessage);
    }
}

public sealed class ChangeRolesCommandHandler(IIdentityService identity, ITokenStateCache tokenState, AuditTrail audit, IUser caller, IMapper mapper)
    : IRequestHandler<ChangeRolesCommand, AdminUserResponse>
{
    public async Task<AdminUserResponse> Handle(ChangeRolesCommand request, CancellationToken cancellationToken)
    {
        var before = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        var roles = request.Roles.Distinct().Order(StringComparer.Ordinal).ToList();
        if (request.UserId == caller.RequiredId() && !roles.Contains(Roles.Admin))
        {
            throw new ConflictException("An admin cannot remove their own admin role");
        }

        audit.Record(AuditActions.RolesChanged, caller.Id, caller.Email, "user", request.UserId.ToString(), new { from = before.Roles, to = roles });
        var user = await identity.SetRolesAsync(request.UserId, roles, cancellationToken);
        await identity.InvalidateAccessTokensAsync(request.UserId, cancellationToken);
        tokenState.UserChanged(request.UserId);
        return new AdminUserResponse(true, "Roles updated", mapper.Map<UserDto>(user));
    }
}
