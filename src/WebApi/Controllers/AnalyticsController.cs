using CleanBackend.Application.Analytics.Queries.GetChatStats;
using CleanBackend.Application.Analytics.Queries.GetDashboard;
using CleanBackend.Application.Analytics.Queries.GetGenerationMetrics;
using CleanBackend.Application.Analytics.Queries.GetPopularPrompts;
using CleanBackend.Application.Analytics.Queries.GetUserStats;

namespace CleanBackend.WebApi.Controllers;

/// <summary>The caller's own usage, computed by the database and cached until their jobs change.</summary>
[Route("api/analytics")]
[Tags("Analytics")]
public sealed class AnalyticsController : ApiControllerBase
{
    [HttpGet("stats", Name = "AnalyticsStats")]
    [ProducesResponseType<UserStats>(StatusCodes.Status200OK)]
    public Task<UserStats> Stats(CancellationToken cancellationToken) =>
        Mediator.Send(new GetUserStatsQuery(), cancellationToken);

    /// <summary>Jobs per day over the last <paramref name="days"/> days (1..365), assets by format, latest jobs and chats.</summary>
    [HttpGet("dashboard", Name = "AnalyticsDashboard")]
    [ProducesResponseType<Dashboard>(StatusCodes.Status200OK)]
    public Task<Dashboard> Dashboard(int days = 30, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetDashboardQuery(days), cancellationToken);

    /// <summary>Outcomes, success rate and average duration of the last <paramref name="days"/> days.</summary>
    [HttpGet("generation-metrics", Name = "AnalyticsGenerationMetrics")]
    [ProducesResponseType<GenerationMetrics>(StatusCodes.Status200OK)]
    public Task<GenerationMetrics> GenerationMetrics(int days = 7, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetGenerationMetricsQuery(days), cancellationToken);

    [HttpGet("popular-prompts", Name = "AnalyticsPopularPrompts")]
    [ProducesResponseType<PopularPrompts>(StatusCodes.Status200OK)]
    public Task<PopularPrompts> PopularPrompts(int limit = 5, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetPopularPromptsQuery(limit), cancellationToken);

    [HttpGet("chat-stats", Name = "AnalyticsChatStats")]
    [ProducesResponseType<ChatStats>(StatusCodes.Status200OK)]
    public Task<ChatStats> ChatStats(CancellationToken cancellationToken) =>
        Mediator.Send(new GetChatStatsQuery(), cancellationToken);
}
