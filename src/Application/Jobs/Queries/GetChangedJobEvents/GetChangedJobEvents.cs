namespace CleanBackend.Application.Jobs.Queries.GetChangedJobEvents;

/// <summary>
/// The caller's jobs that changed after <paramref name="Since"/>, finished ones included, each as its latest event,
/// oldest change first: what a reconnecting listener of all its jobs missed while it was away.
/// </summary>
public sealed record GetChangedJobEventsQuery(DateTime Since) : IRequest<IReadOnlyList<JobEvent>>;

public sealed class GetChangedJobEventsQueryHandler(IApplicationDbContext db, IUser user)
    : IRequestHandler<GetChangedJobEventsQuery, IReadOnlyList<JobEvent>>
{
    public const int MaxJobs = 100;

    public async Task<IReadOnlyList<JobEvent>> Handle(GetChangedJobEventsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        // UpdatedAt is never before ChangedAt, so this finds every changed job (and a renamed finished one, dropped below).
        var jobs = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.UserId == userId && j.UpdatedAt > request.Since)
            .OrderByDescending(j => j.UpdatedAt)
            .Take(MaxJobs)
            .ToListAsync(cancellationToken);
        return [.. jobs
            .Where(j => j.ChangedAt > request.Since)
            .OrderBy(j => j.ChangedAt)
            .Select(JobEvent.Current)];
    }
}
