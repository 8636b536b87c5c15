using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Users.Commands.CreateUser;

/// <summary>An admin creates a verified user with a password and roles.</summary>
public sealed record CreateUserCommand(string Email, string Password, string Name, IReadOnlyList<string>? Roles) : IRequest<UserDto>;

public sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserCommandValidator()
    {
        RuleFor(x => x.Email).AccountEmail();
        RuleFor(x => x.Password).StrongPassword();
        RuleFor(x => x.Name).NotEmpty().MaximumLength(AccountRules.NameMaxLength);
        RuleForEach(x => x.Roles).Must(Roles.IsKnown).WithMessage(Roles.OneOfMessage);
    }
}

public sealed class CreateUserCommandHandler(IIdentityService identity, AuditTrail audit, IUser caller, IMapper mapper)
    : IRequestHandler<CreateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(CreateUserCommand request, CancellationToken cancellationToken)
    {
        var roles = (request.Roles is { Count: > 0 } given ? given : [Roles.User]).Distinct().ToList();
        audit.Record(AuditActions.UserCreated, caller.Id, caller.Email, "user", details: new { email = AccountRules.NormalizeEmail(request.Email), roles });
        var user = await identity.CreateUserAsync(AccountRules.NormalizeEmail(request.Email), request.Name.Trim(), request.Password, roles, cancellationToken);
        return mapper.Map<UserDto>(user);
    }
}
