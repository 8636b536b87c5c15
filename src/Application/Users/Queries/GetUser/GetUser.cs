using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Users.Queries.GetUser;

/// <summary>A user, for themselves or an admin; anyone else is told it does not exist.</summary>
public sealed record GetUserQuery(Guid Id) : IRequest<UserDto>;

public sealed class GetUserQueryHandler(IIdentityService identity, IUser caller, IMapper mapper)
    : IRequestHandler<GetUserQuery, UserDto>
{
    public async Task<UserDto> Handle(GetUserQuery request, CancellationToken cancellationToken)
    {
        if (caller.RequiredId() != request.Id && !caller.IsAdmin())
        {
            throw NotFoundException.For("User");
        }

        var user = await identity.FindByIdAsync(request.Id, cancellationToken) ?? throw NotFoundException.For("User");
        return mapper.Map<UserDto>(user);
    }
}
