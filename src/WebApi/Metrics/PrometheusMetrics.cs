using System.Diagnostics.Metrics;
using Prometheus;

namespace CleanBackend.WebApi.Metrics;

/// <summary>
/// The meters /metrics shows, in a Prometheus registry of this host's own, fed by prometheus-net's
/// <see cref="MeterAdapter"/>. Only the chosen meters are listened to, and only this host's instances of them (plus the
/// runtime's process-wide one), so two hosts in one process do not mix. prometheus-net's default collectors (process
/// metrics, event counters, its own debug metrics) belong to its global registry, which is never collected.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>How long a series may go without a measurement before it is dropped; counters then start again from zero.</summary>
    public static readonly TimeSpan SeriesExpireAfter = TimeSpan.FromDays(1);

    private readonly IDisposable _adapter;

    public PrometheusMetrics(IMeterFactory meters, IReadOnlyCollection<string> meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,

            // The factory wins over the registry, and by default it is the global one's.
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument =>
                meterNames.Contains(instrument.Meter.Name)
                && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meters)),
            ResolveHistogramBuckets = Buckets,
            MetricsExpireAfter = SeriesExpireAfter,
        });
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    /// <summary>Observes the observable instruments and writes every series in the text exposition format 0.0.4.</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(output, cancellationToken);

    public void Dispose() => _adapter.Dispose();

    /// <summary>The instrument's advised buckets (ASP.NET Core's request durations, the job durations), else prometheus-net's.</summary>
    private static double[] Buckets(Instrument instrument)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        return advised?.ToArray() is { Length: > 0 } buckets ? buckets : MeterAdapterOptions.DefaultHistogramBuckets;
    }
}
