using CleanBackend.Application.Jobs.Common;

namespace CleanBackend.Application.Jobs.Queries.GetJob;

public sealed record GetJobQuery(Guid Id) : IRequest<JobDto>;

public sealed class GetJobQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetJobQuery, JobDto>
{
    public async Task<JobDto> Handle(GetJobQuery request, CancellationToken cancellationToken)
    {
        return await db.FindForOwnerAsync(user.RequiredId(), request.Id, mapper, signer, cancellationToken)
            ?? throw NotFoundException.For("Job");
    }
}
