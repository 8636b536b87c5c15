using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Infrastructure.Metrics;
using CleanBackend.WebApi.Metrics;

// In the root namespace, beside AddWebApiServices, so the host's wiring needs no extra using.
namespace CleanBackend.WebApi;

/// <summary>Operational metrics: GET /metrics for Prometheus, the admin performance report, and OTLP export when configured.</summary>
public static class ServiceMetricsSetup
{
    /// <summary>ASP.NET Core's request metrics, the service's own meter, and the runtime's (memory, GC, thread pool).</summary>
    public static readonly string[] MeterNames = ["Microsoft.AspNetCore.Hosting", GenerationMetrics.MeterName, "System.Runtime"];

    public static IServiceCollection AddServiceMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddInfrastructureMetrics(configuration, MeterNames);

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
        app.Services.GetRequiredService<PrometheusExporter>();

        app.MapGet("/metrics", async (PrometheusExporter exporter, GenerationMetrics jobs, CancellationToken cancellationToken) =>
            {
                await jobs.RefreshJobCountsIfStaleAsync(cancellationToken);
                return Results.Text(exporter.Collect(), PrometheusExporter.ContentType);
            })
            .AllowAnonymous()
            .WithName("GetMetrics")
            .WithTags("Health")
            .WithSummary("Prometheus text exposition (0.0.4): request latency by route, jobs by status and their durations, queue depth.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }
}
