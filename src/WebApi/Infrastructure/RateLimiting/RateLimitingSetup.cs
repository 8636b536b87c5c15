using System.Globalization;
using System.Threading.RateLimiting;
using CleanBackend.Infrastructure.Redis;
using Microsoft.AspNetCore.RateLimiting;

namespace CleanBackend.WebApi.Infrastructure.RateLimiting;

/// <summary>
/// ASP.NET Core rate limiting: a general limit per user (or address), per-address limits on the account
/// endpoints, and a per-e-mail limit on those that send e-mail or check codes. Rejections are 429 problem
/// details with Retry-After. With Redis, every window is counted across all instances of the service.
/// </summary>
public static class RateLimitingSetup
{
    internal const string EmailItem = "rate-limit:email";

    public static IServiceCollection AddContractRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitingOptions.SectionName).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        services.AddSingleton(limits);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            var windows = new Windows(provider.GetService<RedisConnection>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingSetup)));
            options.OnRejected = WriteRejectionAsync;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    windows.Fixed("general:" + (context.User.FindFirst("sub")?.Value ?? ClientAddress(context)), limits.General)),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Items[EmailItem] is string email
                        ? windows.Fixed($"email:{EmailLimitScope(context)}:{email}", limits.AccountByEmail)
                        : RateLimitPartition.GetNoLimiter(string.Empty)));
            options.AddPolicy(RateLimitPolicies.Login, context => windows.Fixed("login:" + ClientAddress(context), limits.Login));
            options.AddPolicy(RateLimitPolicies.AccountByIp, context => windows.Fixed("account-ip:" + ClientAddress(context), limits.AccountByIp));
        });
        return services;
    }

    public static WebApplication UseContractRateLimiting(this WebApplication app)
    {
        if (app.Services.GetRequiredService<RateLimitingOptions>().Enabled)
        {
            app.UseMiddleware<RateLimitEmailMiddleware>();
            app.UseRateLimiter();
        }

        return app;
    }

    /// <summary>Fixed windows in this instance's memory, or in Redis when the instances share one.</summary>
    private sealed class Windows(RedisConnection? redis, ILogger logger)
    {
        public RateLimitPartition<string> Fixed(string key, WindowLimit limit) => redis is null
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = TimeSpan.FromSeconds(limit.WindowSeconds),
                QueueLimit = 0,
            })
            : RateLimitPartition.Get(key, k => new SharedWindowRateLimiter(redis, "rate-limit:" + k, limit, logger));
    }

    /// <summary>The route the per-e-mail window counts; a call through /legacy counts in the window of the same call on /api.</summary>
    private static string? EmailLimitScope(HttpContext context) => context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route }
        ? route.TrimStart('/').Replace("legacy/", string.Empty, StringComparison.Ordinal)
        : context.GetEndpoint()?.DisplayName;

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = string.Create(CultureInfo.InvariantCulture, $"Too many requests; try again in {seconds} seconds"),
            },
        });
    }
}
