using CleanBackend.Application.Analytics.Common;

namespace CleanBackend.Application.Analytics.Queries.GetChatStats;

/// <summary>The caller's chats with their message counts, busiest first.</summary>
public sealed record GetChatStatsQuery : IRequest<ChatStats>;

public sealed record ChatStats(int TotalChats, int TotalMessages, IReadOnlyList<ChatActivity> Chats);

public sealed record ChatActivity(Guid Id, string Title, int MessageCount, DateTime? LastMessageAt, DateTime CreatedAt);

public sealed class GetChatStatsQueryHandler(IApplicationDbContext db, IUser user, AnalyticsCache cache)
    : IRequestHandler<GetChatStatsQuery, ChatStats>
{
    public Task<ChatStats> Handle(GetChatStatsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return cache.GetOrAddAsync(userId, "chat-stats", async () =>
        {
            var chats = db.Chats.AsNoTracking().Where(c => c.UserId == userId);
            var totalChats = await chats.CountAsync(cancellationToken);
            var totalMessages = await chats.SumAsync(c => c.MessageCount, cancellationToken);
            var top = await chats.OrderByDescending(c => c.MessageCount).ThenByDescending(c => c.LastActivityAt)
                .Take(20)
                .Select(c => new ChatActivity(c.Id, c.Title, c.MessageCount, c.LastMessageAt, c.CreatedAt))
                .ToListAsync(cancellationToken);
            return new ChatStats(totalChats, totalMessages, top);
        });
    }
}
