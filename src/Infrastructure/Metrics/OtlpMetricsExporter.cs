using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace CleanBackend.Infrastructure.Metrics;

/// <summary>
/// Pushes the meters that /metrics shows to an OpenTelemetry collector, when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// The exporter reads the standard OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers) itself.
/// </summary>
public sealed class OtlpMetricsExporter(IReadOnlyList<string> meterNames) : IHostedService, IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The running provider, from start to stop.</summary>
    public MeterProvider? Provider { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter([.. meterNames])
            .AddOtlpExporter()
            .Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Disposing flushes what was measured since the last export.
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Provider?.Dispose();
        Provider = null;
    }
}
