using CleanBackend.Application.Usage.Common;
using CleanBackend.Infrastructure.ModelServers;
using Microsoft.Extensions.Options;

namespace CleanBackend.WebApi.Infrastructure.RateLimiting;

public static class UsageLimitSetup
{
    /// <summary>
    /// Credits and plans (section Credits), told whether the generator is the built-in one (free by default) and
    /// whether limits are on (RATE_LIMIT_ENABLED=false lifts the per-user limits and the active-job cap, not credits).
    /// </summary>
    public static IServiceCollection AddUsageLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CreditsOptions>()
            .Bind(configuration.GetSection(CreditsOptions.SectionName))
            .PostConfigure<IOptions<ModelServerOptions>, IOptions<RateLimitingOptions>>((credits, server, limits) =>
            {
                credits.GeneratorIsBuiltIn = server.Value.IsBuiltIn;
                credits.LimitsEnabled = limits.Value.Enabled;
            })
            .Validate(
                credits => credits.Costs is { Draft: >= 0, Standard: >= 0, ExtraFormat: >= 0 }
                    && new[] { credits.Plans.User, credits.Plans.Moderator, credits.Plans.Admin }.All(p => p is { MonthlyGrant: >= 0, MaxActiveJobs: >= 1, GenerationsPerHour: >= 1, CreatesPer15Minutes: >= 1 }),
                "Credits: costs and monthly grants must not be negative; each plan allows at least 1 active job, 1 generation an hour and 1 creation per 15 minutes.")
            .ValidateOnStart();
        services.AddOptions<RateLimitingOptions>().Bind(configuration.GetSection(RateLimitingOptions.SectionName));
        return services;
    }
}
