using CleanBackend.Application.Analytics.Common;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Analytics.Queries.GetPopularPrompts;

/// <summary>The caller's most used prompts (counted by the database) and latest prompts.</summary>
public sealed record GetPopularPromptsQuery(int Limit = 5) : IRequest<PopularPrompts>;

public sealed record PopularPrompts(IReadOnlyList<PromptUse> Popular, IReadOnlyList<RecentPrompt> Recent);

public sealed record PromptUse(string Prompt, int Count, DateTime LastUsedAt);

public sealed record RecentPrompt(string Prompt, JobStatus Status, DateTime CreatedAt);

public sealed class GetPopularPromptsQueryValidator : AbstractValidator<GetPopularPromptsQuery>
{
    public GetPopularPromptsQueryValidator() => RuleFor(x => x.Limit).InclusiveBetween(1, 50);
}

public sealed class GetPopularPromptsQueryHandler(IApplicationDbContext db, IUser user, AnalyticsCache cache)
    : IRequestHandler<GetPopularPromptsQuery, PopularPrompts>
{
    public Task<PopularPrompts> Handle(GetPopularPromptsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        return cache.GetOrAddAsync(userId, $"popular-prompts:{request.Limit}", async () =>
        {
            var jobs = db.GenerationJobs.AsNoTracking().Where(j => j.UserId == userId);
            // Image-only jobs have no prompt to count.
            var popular = await jobs.Where(j => j.Prompt != string.Empty).GroupBy(j => j.Prompt)
                .Select(g => new { Prompt = g.Key, Count = g.Count(), LastUsedAt = g.Max(j => j.CreatedAt) })
                .OrderByDescending(p => p.Count).ThenByDescending(p => p.LastUsedAt)
                .Take(request.Limit)
                .ToListAsync(cancellationToken);
            var recent = await jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
                .Take(request.Limit)
                .Select(j => new RecentPrompt(j.Prompt, j.Status, j.CreatedAt))
                .ToListAsync(cancellationToken);
            return new PopularPrompts([.. popular.Select(p => new PromptUse(p.Prompt, p.Count, p.LastUsedAt))], recent);
        });
    }
}
