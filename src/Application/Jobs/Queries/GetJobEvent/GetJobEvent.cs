namespace CleanBackend.Application.Jobs.Queries.GetJobEvent;

/// <summary>One of the caller's jobs as its latest event: what the job's live stream sends first.</summary>
public sealed record GetJobEventQuery(Guid Id) : IRequest<JobEvent>;

public sealed class GetJobEventQueryHandler(IApplicationDbContext db, IUser user)
    : IRequestHandler<GetJobEventQuery, JobEvent>
{
    public async Task<JobEvent> Handle(GetJobEventQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var job = await db.GenerationJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == request.Id && j.UserId == userId, cancellationToken)
            ?? throw NotFoundException.For("Job");
        return JobEvent.Current(job);
    }
}
