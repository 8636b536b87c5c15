using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Jobs.Queries.GetJob;

namespace CleanBackend.Application.Jobs.Commands.CancelJob;

/// <summary>Cancels one of the caller's jobs: a queued one at once, a running one at its model server too. A finished job is a conflict.</summary>
public sealed record CancelJobCommand(Guid Id) : IRequest<JobDto>;

public sealed class CancelJobCommandHandler(IApplicationDbContext db, IUser user, IJobEventBus events, TimeProvider clock, IMediator mediator)
    : IRequestHandler<CancelJobCommand, JobDto>
{
    public async Task<JobDto> Handle(CancelJobCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        // When a worker starts or finishes the job meanwhile, decide again on its new status: a job that has just
        // started is still cancelled, one that has just completed is a conflict.
        var job = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            var found = await db.GenerationJobs.SingleOrDefaultAsync(j => j.Id == request.Id && j.UserId == userId, cancellationToken)
                ?? throw NotFoundException.For("Job");
            var now = clock.GetUtcNow().UtcDateTime;
            found.Cancel(now);
            await mediator.PublishFinishingAsync(found, [], now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return found;
        });

        // The worker holding a running job hears this and stops the generation.
        events.Publish(JobEvent.Of(job, JobEventTypes.Canceled));
        return await mediator.Send(new GetJobQuery(job.Id), cancellationToken);
    }
}
