using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace CleanBackend.Infrastructure.Metrics;

/// <summary>
/// Listens to the instruments of chosen meters with a <see cref="MeterListener"/>, keeps their running aggregates
/// (sums per tag set, last values of gauges, cumulative histogram buckets) and writes them in the Prometheus text
/// exposition format 0.0.4. No exporter package is needed: the framework's metrics API is enough for a pull endpoint.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Tag sets kept per instrument: beyond this, new ones are dropped so odd routes or tags cannot grow memory without bound.</summary>
    public const int MaxTagSetsPerInstrument = 1000;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregate> _instruments = new();
    private readonly Lock _collecting = new();

    /// <param name="listensTo">The meters whose instruments are exported.</param>
    public PrometheusExporter(Func<Meter, bool> listensTo)
    {
        ArgumentNullException.ThrowIfNull(listensTo);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (listensTo(instrument.Meter) && InstrumentAggregate.For(instrument) is { } aggregate)
            {
                _instruments[instrument] = aggregate;
                listener.EnableMeasurementEvents(instrument, aggregate);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out var _);
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => ((InstrumentAggregate)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments and writes every metric as exposition text.</summary>
    public string Collect()
    {
        lock (_collecting)
        {
            // Observable instruments report their current values: what they said last time is forgotten first.
            foreach (var aggregate in _instruments.Values.Where(a => a.IsObservable))
            {
                aggregate.Clear();
            }

            _listener.RecordObservableInstruments();

            var families = new SortedDictionary<string, MetricFamily>(StringComparer.Ordinal);
            foreach (var aggregate in _instruments.Values)
            {
                var family = aggregate.Snapshot();
                if (family.Series.Count == 0)
                {
                    continue;
                }

                // Two instruments with one exported name (same name in two meters) share it when they are of one kind.
                if (families.TryGetValue(family.Name, out var existing))
                {
                    if (existing.Type == family.Type)
                    {
                        existing.Series.AddRange(family.Series);
                    }
                }
                else
                {
                    families[family.Name] = family;
                }
            }

            return PrometheusTextWriter.Write(families.Values);
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The running aggregate of one instrument, one series per tag set.</summary>
    private sealed class InstrumentAggregate
    {
        private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
        private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

        private readonly Lock _gate = new();
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly string _name;
        private readonly string _help;
        private readonly MetricType _type;
        private readonly bool _adds;
        private readonly double[] _buckets;

        private InstrumentAggregate(Instrument instrument, MetricType type, bool adds, bool observable, double[] buckets)
        {
            _type = type;
            _adds = adds;
            _buckets = buckets;
            IsObservable = observable;
            _name = PrometheusTextWriter.MetricName(instrument.Name, instrument.Unit, type == MetricType.Counter);
            _help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        }

        public bool IsObservable { get; }

        /// <summary>How an instrument maps to a Prometheus type; null for kinds this exporter does not know.</summary>
        public static InstrumentAggregate? For(Instrument instrument)
        {
            var type = instrument.GetType();
            if (!type.IsGenericType)
            {
                return null;
            }

            var kind = type.GetGenericTypeDefinition();
            return kind switch
            {
                _ when kind == typeof(Counter<>) => new(instrument, MetricType.Counter, adds: true, observable: false, []),
                _ when kind == typeof(UpDownCounter<>) => new(instrument, MetricType.Gauge, adds: true, observable: false, []),
                _ when kind == typeof(Gauge<>) => new(instrument, MetricType.Gauge, adds: false, observable: false, []),
                // Observable counters report their cumulative total, not increments.
                _ when kind == typeof(ObservableCounter<>) => new(instrument, MetricType.Counter, adds: false, observable: true, []),
                _ when kind == typeof(ObservableUpDownCounter<>) || kind == typeof(ObservableGauge<>) =>
                    new(instrument, MetricType.Gauge, adds: false, observable: true, []),
                _ when kind == typeof(Histogram<>) => new(instrument, MetricType.Histogram, adds: true, observable: false, BucketsOf(instrument)),
                _ => null,
            };
        }

        private static double[] BucketsOf(Instrument instrument)
        {
            IEnumerable<double>? advised = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
                Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
                _ => null,
            };
            var buckets = advised?.Where(double.IsFinite).Distinct().Order().ToArray();
            return buckets is { Length: > 0 } ? buckets : instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets;
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = PrometheusTextWriter.Labels(tags);
            lock (_gate)
            {
                if (!_series.TryGetValue(labels, out var series))
                {
                    if (_series.Count >= MaxTagSetsPerInstrument)
                    {
                        return;
                    }

                    series = new Series(_buckets.Length);
                    _series[labels] = series;
                }

                if (_type == MetricType.Histogram)
                {
                    // The bucket of the smallest bound at or above the value; past the last bound, the +Inf bucket.
                    var index = Array.BinarySearch(_buckets, value);
                    series.BucketCounts[index >= 0 ? index : ~index]++;
                    series.Count++;
                    series.Value += value;
                }
                else if (_adds)
                {
                    series.Value += value;
                }
                else
                {
                    series.Value = value;
                }
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _series.Clear();
            }
        }

        public MetricFamily Snapshot()
        {
            lock (_gate)
            {
                var series = _series.Select(s => new MetricSeries(s.Key, s.Value.Value, s.Value.Count, [.. s.Value.BucketCounts])).ToList();
                return new MetricFamily(_name, _help, _type, _buckets, series);
            }
        }

        private sealed class Series(int bounds)
        {
            public double Value { get; set; }

            public long Count { get; set; }

            /// <summary>Per bucket, not cumulative; the last one is beyond every bound.</summary>
            public long[] BucketCounts { get; } = new long[bounds + 1];
        }
    }
}

internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <param name="Labels">The series' labels as written between braces (<c>a="1",b="2"</c>), empty for none.</param>
/// <param name="Value">The counter's or gauge's value; a histogram's sum.</param>
/// <param name="Count">A histogram's number of observations.</param>
/// <param name="BucketCounts">A histogram's observations per bucket (not cumulative), the last one beyond every bound.</param>
internal sealed record MetricSeries(string Labels, double Value, long Count, long[] BucketCounts);

internal sealed record MetricFamily(string Name, string Help, MetricType Type, double[] Buckets, List<MetricSeries> Series);

/// <summary>The Prometheus text exposition format 0.0.4: names, labels and values as a scraper parses them.</summary>
internal static class PrometheusTextWriter
{
    private static readonly Dictionary<string, string> UnitNames = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds", ["ms"] = "milliseconds", ["us"] = "microseconds", ["ns"] = "nanoseconds",
        ["min"] = "minutes", ["h"] = "hours", ["d"] = "days",
        ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes", ["%"] = "percent",
    };

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var series in family.Series.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                if (family.Type != MetricType.Histogram)
                {
                    Sample(text, family.Name, series.Labels, null, Number(series.Value));
                    continue;
                }

                long cumulative = 0;
                for (var i = 0; i < family.Buckets.Length; i++)
                {
                    cumulative += series.BucketCounts[i];
                    Sample(text, family.Name + "_bucket", series.Labels, Number(family.Buckets[i]), Number(cumulative));
                }

                Sample(text, family.Name + "_bucket", series.Labels, "+Inf", Number(series.Count));
                Sample(text, family.Name + "_sum", series.Labels, null, Number(series.Value));
                Sample(text, family.Name + "_count", series.Labels, null, Number(series.Count));
            }
        }

        return text.ToString();
    }

    /// <summary>The exported name: sanitised, with the unit's suffix (http.server.request.duration in s: ..._seconds) and _total for counters.</summary>
    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        if (UnitSuffix(unit) is { Length: > 0 } suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A tag set as label text, keys sorted so the same tags in any order are one series.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>(tags.Length);
        foreach (var tag in tags)
        {
            var key = Sanitize(tag.Key, allowColon: false);
            // "le" belongs to histogram buckets and "__" names are Prometheus's own.
            if (key != "le" && !key.StartsWith("__", StringComparison.Ordinal))
            {
                pairs.Add((key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
            }
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        string? previous = null;
        foreach (var (key, value) in pairs)
        {
            if (key == previous)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(key).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
            previous = key;
        }

        return text.ToString();
    }

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Characters outside [a-zA-Z0-9_] (and ':' in metric names) become '_'; a leading digit gets a '_' before it.</summary>
    public static string Sanitize(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "_";
        }

        var text = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            text.Append('_');
        }

        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return text.ToString();
    }

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>UCUM units as Prometheus suffixes; annotations such as {request} and the dimensionless 1 add none.</summary>
    private static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit) || unit == "1" || unit.StartsWith('{'))
        {
            return "";
        }

        var parts = unit.Split('/', 2);
        var first = UnitNames.GetValueOrDefault(parts[0], parts[0]);
        var suffix = parts.Length == 2 ? $"{first}_per_{UnitNames.GetValueOrDefault(parts[1], parts[1]).TrimEnd('s')}" : first;
        return Sanitize(suffix, allowColon: false).Trim('_');
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Histogram => "histogram",
        _ => "gauge",
    };

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Sample(StringBuilder text, string name, string labels, string? le, string value)
    {
        text.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            text.Append('{').Append(labels);
            if (le is not null)
            {
                text.Append(labels.Length > 0 ? ",le=\"" : "le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }
}
