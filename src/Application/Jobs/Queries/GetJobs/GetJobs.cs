using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Jobs.Queries.GetJobs;

/// <summary>The caller's jobs, newest first, optionally of one status or chat.</summary>
public sealed record GetJobsQuery(int Page = 1, int Limit = PageRequestRules.DefaultLimit, JobStatus? Status = null, Guid? ChatId = null)
    : IRequest<PaginatedList<JobDto>>, IPageRequest;

public sealed class GetJobsQueryValidator : AbstractValidator<GetJobsQuery>
{
    public GetJobsQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.Status).IsInEnum();
    }
}

public sealed class GetJobsQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetJobsQuery, PaginatedList<JobDto>>
{
    public async Task<PaginatedList<JobDto>> Handle(GetJobsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var jobs = db.GenerationJobs.AsNoTracking().Where(j => j.UserId == userId);
        if (request.Status is { } status)
        {
            jobs = jobs.Where(j => j.Status == status);
        }

        if (request.ChatId is { } chatId)
        {
            jobs = jobs.Where(j => j.ChatId == chatId);
        }

        var page = await jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .ProjectTo<JobDto>(mapper.ConfigurationProvider)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
        return new PaginatedList<JobDto>(await page.Items.WithAssetsAsync(db, mapper, signer, cancellationToken), page.Page, page.Limit, page.Total);
    }
}
