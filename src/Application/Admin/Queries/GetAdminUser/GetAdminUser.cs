using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Admin.Queries.GetAdminUser;

/// <summary>One user for an admin, with their chats (newest first) and the text of each chat's messages.</summary>
public sealed record GetAdminUserQuery(Guid UserId) : IRequest<AdminUserDetails>;

public sealed record AdminUserDetails(UserDto User, IReadOnlyList<AdminChatDto> Chats);

public sealed record AdminChatDto(Guid Id, string Title, DateTime CreatedAt, int MessageCount, IReadOnlyList<AdminMessageDto> Messages);

public sealed record AdminMessageDto(Guid Id, MessageRole Role, string Content, DateTime CreatedAt);

public sealed class GetAdminUserQueryHandler(IApplicationDbContext db, IIdentityService identity, IMapper mapper)
    : IRequestHandler<GetAdminUserQuery, AdminUserDetails>
{
    public async Task<AdminUserDetails> Handle(GetAdminUserQuery request, CancellationToken cancellationToken)
    {
        var user = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw NotFoundException.For("User");
        var chats = await db.Chats.AsNoTracking()
            .Where(c => c.UserId == user.Id)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Title, c.CreatedAt, c.MessageCount })
            .ToListAsync(cancellationToken);
        var chatIds = chats.Select(c => c.Id).ToList();
        var messages = (await db.Messages.AsNoTracking()
            .Where(m => chatIds.Contains(m.ChatId))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new { m.ChatId, Message = new AdminMessageDto(m.Id, m.Role, m.Content, m.CreatedAt) })
            .ToListAsync(cancellationToken))
            .ToLookup(m => m.ChatId, m => m.Message);

        return new AdminUserDetails(
            mapper.Map<UserDto>(user),
            [.. chats.Select(c => new AdminChatDto(c.Id, c.Title, c.CreatedAt, c.MessageCount, [.. messages[c.Id]]))]);
    }
}
