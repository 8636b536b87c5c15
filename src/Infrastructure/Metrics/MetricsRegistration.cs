using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.Metrics;

public static class MetricsRegistration
{
    /// <summary>
    /// The job metrics, the model server failure count, the Prometheus exporter over <paramref name="meterNames"/>
    /// (meters of this service's own meter factory, so two hosts in one process do not mix; the runtime's process-wide
    /// meter is shared by all), and the OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
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

        services.AddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IMeterFactory>();
            return new PrometheusExporter(meter =>
                meterNames.Contains(meter.Name, StringComparer.Ordinal)
                && (ReferenceEquals(meter.Scope, factory) || meter.Scope is null));
        });

        if (!string.IsNullOrWhiteSpace(configuration[OtlpMetricsExporter.EndpointVariable]))
        {
            services.AddSingleton(new OtlpMetricsExporter(meterNames));
            services.AddHostedService(sp => sp.GetRequiredService<OtlpMetricsExporter>());
        }

        return services;
    }
}
