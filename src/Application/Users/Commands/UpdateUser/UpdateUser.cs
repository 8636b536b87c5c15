using System.Text.Json;
using System.Text.Json.Serialization;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Users.Commands.UpdateUser;

/// <summary>Changes a user's name and settings: one's own, or anyone's for an admin. Settings are merged; null removes one.</summary>
public sealed record UpdateUserCommand(string? Name, IReadOnlyDictionary<string, JsonElement>? Settings) : IRequest<UserDto>
{
    /// <summary>From the route (<c>me</c> or an id), not the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }
}

public sealed class UpdateUserCommandValidator : AbstractValidator<UpdateUserCommand>
{
    public UpdateUserCommandValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(AccountRules.NameMaxLength).When(x => x.Name is not null);
        RuleFor(x => x.Settings)
            .Must(UserRules.IsSmallEnough).WithMessage($"Settings must be at most {UserRules.SettingsMaxLength} characters of JSON.")
            .Must(s => s is null || s.Keys.All(k => k.Length is > 0 and <= 100)).WithMessage("A setting's name has 1 to 100 characters.");
    }
}

public sealed class UpdateUserCommandHandler(IIdentityService identity, IUser caller, IMapper mapper)
    : IRequestHandler<UpdateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(UpdateUserCommand request, CancellationToken cancellationToken)
    {
        if (caller.RequiredId() != request.Id && !caller.IsAdmin())
        {
            throw NotFoundException.For("User");
        }

        if (await identity.FindByIdAsync(request.Id, cancellationToken) is null)
        {
            throw NotFoundException.For("User");
        }

        var user = await identity.UpdateProfileAsync(request.Id, request.Name?.Trim(), request.Settings, cancellationToken);
        return mapper.Map<UserDto>(user);
    }
}
