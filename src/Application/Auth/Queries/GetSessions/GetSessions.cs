namespace CleanBackend.Application.Auth.Queries.GetSessions;

/// <summary>The caller's live sessions, most recently used first.</summary>
public sealed record GetSessionsQuery : IRequest<IReadOnlyList<SessionDto>>;

/// <param name="Id">The session's id (for DELETE /api/auth/sessions/{id}).</param>
/// <param name="CreatedAt">When the user signed in.</param>
/// <param name="LastUsedAt">When the session last refreshed its tokens.</param>
/// <param name="ExpiresAt">When its refresh token expires unless used.</param>
/// <param name="IpAddress">Where it was last used from.</param>
/// <param name="UserAgent">The client it was last used by.</param>
/// <param name="Current">Whether this is the session of the token that asks.</param>
public sealed record SessionDto(Guid Id, DateTime CreatedAt, DateTime LastUsedAt, DateTime ExpiresAt, string? IpAddress, string? UserAgent, bool Current);

public sealed class GetSessionsQueryHandler(IApplicationDbContext db, IUser caller, TimeProvider clock)
    : IRequestHandler<GetSessionsQuery, IReadOnlyList<SessionDto>>
{
    public async Task<IReadOnlyList<SessionDto>> Handle(GetSessionsQuery request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        var now = clock.GetUtcNow().UtcDateTime;
        var current = caller.SessionId;

        // A session has one live refresh token at a time: the latest of its family.
        return await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now)
            .OrderByDescending(t => t.LastUsedAt)
            .Select(t => new SessionDto(t.FamilyId, t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.IpAddress, t.UserAgent, t.FamilyId == current))
            .ToListAsync(cancellationToken);
    }
}
