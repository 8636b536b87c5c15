namespace CleanBackend.Application.Chats.Queries.GetChatOverviews;

/// <summary>
/// The caller's chats in one list, as a sidebar shows them: pinned first, then newest activity, each with the start
/// of its last message. The list stops at <see cref="GetChatOverviewsQueryHandler.MaxChats"/> chats.
/// </summary>
public sealed record GetChatOverviewsQuery : IRequest<IReadOnlyList<ChatOverviewDto>>;

/// <summary>A chat in the list; its preview is the start of its last message (null in an empty chat).</summary>
public sealed record ChatOverviewDto(Guid Id, string Title, bool IsPinned, DateTime CreatedAt, DateTime UpdatedAt, DateTime? LastMessageAt, int MessageCount, string? Preview);

public sealed class GetChatOverviewsQueryHandler(IApplicationDbContext db, IUser user)
    : IRequestHandler<GetChatOverviewsQuery, IReadOnlyList<ChatOverviewDto>>
{
    /// <summary>Bounds one answer; a sidebar of more chats than this is not read by anyone.</summary>
    public const int MaxChats = 1000;

    public const int PreviewLength = 50;

    public async Task<IReadOnlyList<ChatOverviewDto>> Handle(GetChatOverviewsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return await db.Chats.AsNoTracking()
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.IsPinned).ThenByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
            .Take(MaxChats)
            .Select(c => new ChatOverviewDto(
                c.Id,
                c.Title,
                c.IsPinned,
                c.CreatedAt,
                c.UpdatedAt,
                c.LastMessageAt,
                c.MessageCount,
                db.Messages.Where(m => m.ChatId == c.Id)
                    .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
                    .Select(m => m.Content.Substring(0, PreviewLength))
                    .FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}
