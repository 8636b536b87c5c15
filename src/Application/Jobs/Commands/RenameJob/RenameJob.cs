using System.Text.Json.Serialization;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Jobs.Queries.GetJob;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Commands.RenameJob;

/// <summary>Gives one of the caller's jobs a title (an empty title removes it).</summary>
public sealed record RenameJobCommand(string? Title) : IRequest<JobDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }
}

public sealed class RenameJobCommandValidator : AbstractValidator<RenameJobCommand>
{
    public RenameJobCommandValidator()
    {
        RuleFor(x => x.Title).MaximumLength(GenerationJob.TitleMaxLength);
    }
}

public sealed class RenameJobCommandHandler(IApplicationDbContext db, IUser user, TimeProvider clock, IMediator mediator)
    : IRequestHandler<RenameJobCommand, JobDto>
{
    public async Task<JobDto> Handle(RenameJobCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        // A title does not depend on the status: when a worker moves the job on meanwhile, rename it as it is now.
        var jobId = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            var job = await db.GenerationJobs.SingleOrDefaultAsync(j => j.Id == request.Id && j.UserId == userId, cancellationToken)
                ?? throw NotFoundException.For("Job");
            job.Rename(request.Title, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            return job.Id;
        });
        return await mediator.Send(new GetJobQuery(jobId), cancellationToken);
    }
}
