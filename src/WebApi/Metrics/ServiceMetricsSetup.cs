using System.Diagnostics.Metrics;
using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Infrastructure.Metrics;
using CleanBackend.WebApi.Metrics;

// In the root namespace, beside AddWebApiServices, so the host's wiring needs no extra using.
namespace CleanBackend.WebApi;

/// <summary>Operational metrics: GET /metrics for Prometheus, the admin performance report, and OTLP export when configured.</summary>
public static class ServiceMetricsSetup
{
    /// <summary>
    /// ASP.NET Core's request metrics, Kestrel's connections, the service's own meter, and the runtime's (memory, GC,
    /// thread pool). Not every framework meter: each measurement costs the exporter a few allocations, and routing,
    /// authentication and rate limiting would add several per request.
    /// </summary>
    public static readonly string[] MeterNames =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", GenerationMetrics.MeterName, "System.Runtime"];

    public static IServiceCollection AddServiceMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddInfrastructureMetrics(configuration, MeterNames);
        services.AddSingleton(sp => new PrometheusMetrics(sp.GetRequiredService<IMeterFactory>(), MeterNames));

        // The threshold the admin report lists slow requests above (the use-case timing reads it too).
        services.AddOptions<PerformanceOptions>()
            .Bind(configuration.GetSection(PerformanceOptions.SectionName))
            .Validate(o => o.SlowRequestThresholdMs >= 0, "Performance:SlowRequestThresholdMs: must be 0 or more.")
            .ValidateOnStart();
        services.AddSingleton<RequestPerformanceRecorder>();
        services.AddTransient<IStartupFilter, PerformanceRecordingMiddleware.StartupFilter>();
        return services;
    }

    public static WebApplication MapServiceMetrics(this WebApplication app)
    {
        // Created now, before the first request, so the listener sees every measurement from the start.
        app.Services.GetRequiredService<PrometheusMetrics>();

        // A minimal API rather than prometheus-net's MapMetrics, so the OpenAPI document keeps describing it and
        // the job counts are read before the scrape observes them.
        app.MapGet("/metrics", async (HttpContext context, PrometheusMetrics metrics, GenerationMetrics jobs, CancellationToken cancellationToken) =>
            {
                await jobs.RefreshJobCountsIfStaleAsync(cancellationToken);
                context.Response.ContentType = PrometheusMetrics.ContentType;
                await metrics.WriteAsync(context.Response.Body, cancellationToken);
            })
            .AllowAnonymous()
            .WithName("GetMetrics")
            .WithTags("Health")
            .WithSummary("Prometheus text exposition (0.0.4): request latency by route, jobs by status and their durations, queue depth.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }
}
