using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Auth.Queries.GetCurrentUser;

public sealed record GetCurrentUserQuery : IRequest<UserDto>;

public sealed class GetCurrentUserQueryHandler(IIdentityService identity, IUser caller, IMapper mapper)
    : IRequestHandler<GetCurrentUserQuery, UserDto>
{
    public async Task<UserDto> Handle(GetCurrentUserQuery request, CancellationToken cancellationToken)
    {
        var user = await identity.FindByIdAsync(caller.RequiredId(), cancellationToken) ?? throw NotFoundException.For("User");
        return mapper.Map<UserDto>(user);
    }
}
