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

public sealed class GetJobsQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer, IListQueries lists)
    : IRequestHandler<GetJobsQuery, PaginatedList<JobDto>>
{
    public async Task<PaginatedList<JobDto>> Handle(GetJobsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        var page = request is { Status: null, ChatId: null }
            ? await lists.JobPageAsync(userId, request.Page, request.Limit, cancellationToken)
            : await Filtered(lists.JobsOf(userId), request)
                .ProjectTo<JobDto>(mapper.ConfigurationProvider)
                .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
        return new PaginatedList<JobDto>(await page.Items.WithAssetsAsync(db, mapper, signer, cancellationToken), page.Page, page.Limit, page.Total);
    }

    private static IQueryable<GenerationJob> Filtered(IQueryable<GenerationJob> jobs, GetJobsQuery request)
    {
        if (request.Status is { } status)
        {
            jobs = jobs.Where(j => j.Status == status);
        }

        if (request.ChatId is { } chatId)
        {
            jobs = jobs.Where(j => j.ChatId == chatId);
        }

        return jobs;
    }
}
