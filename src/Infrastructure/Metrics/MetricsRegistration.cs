using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.Metrics;

public static class MetricsRegistration
{
    /// <summary>
    /// The job metrics, the model server failure count, and the OTLP export of <paramref name="meterNames"/> when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set. The host exposes the same meters at /metrics.
    /// </summary>
    public static IServiceCollection AddInfrastructureMetrics(this IServiceCollection services, IConfiguration configuration, params string[] meterNames)
    {
        services.AddMetrics();
        services.AddSingleton<GenerationMetrics>();
        services.AddHostedService<GenerationMetricsRecorder>();
        if (services.Any(s => s.ServiceType == typeof(IModelServer)))
        {
            services.Decorate<IModelServer, MeteredModelServer>();
        }

        if (!string.IsNullOrWhiteSpace(configuration[OtlpMetricsExporter.EndpointVariable]))
        {
            services.AddSingleton(new OtlpMetricsExporter(meterNames));
            services.AddHostedService(sp => sp.GetRequiredService<OtlpMetricsExporter>());
        }

        return services;
    }
}
