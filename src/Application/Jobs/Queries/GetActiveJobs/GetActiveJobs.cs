using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Queries.GetActiveJobs;

/// <summary>The caller's queued and running jobs as events: what a live stream sends first to a late listener.</summary>
public sealed record GetActiveJobEventsQuery : IRequest<IReadOnlyList<JobEvent>>;

public sealed class GetActiveJobEventsQueryHandler(IApplicationDbContext db, IUser user)
    : IRequestHandler<GetActiveJobEventsQuery, IReadOnlyList<JobEvent>>
{
    public async Task<IReadOnlyList<JobEvent>> Handle(GetActiveJobEventsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var jobs = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.UserId == userId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .OrderBy(j => j.CreatedAt)
            .Take(100)
            .ToListAsync(cancellationToken);
        return [.. jobs.Select(j => JobEvent.Current(j))];
    }
}
