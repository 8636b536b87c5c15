using CleanBackend.Application.Jobs.Common;

namespace CleanBackend.Application.Jobs.Queries.GetJob;

public sealed record GetJobQuery(Guid Id) : IRequest<JobDto>;

public sealed class GetJobQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetJobQuery, JobDto>
{
    public async Task<JobDto> Handle(GetJobQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var job = await db.GenerationJobs.AsNoTracking()
            .Where(j => j.Id == request.Id && j.UserId == userId)
            .ProjectTo<JobDto>(mapper.ConfigurationProvider)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw NotFoundException.For("Job");
        return (await new[] { job }.WithAssetsAsync(db, mapper, signer, cancellationToken))[0];
    }
}
