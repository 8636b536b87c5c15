using System.Diagnostics.Metrics;
using CleanBackend.Infrastructure.Metrics;

namespace CleanBackend.Infrastructure.IntegrationTests.Metrics;

/// <summary>The exposition text of measurements made on a meter of the test's own.</summary>
public sealed class PrometheusExporterTests : IDisposable
{
    private readonly Meter _meter = new($"test.{Guid.NewGuid():N}");
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests() => _exporter = new PrometheusExporter(m => m == _meter);

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Counter_IsSummedPerTagSetWithSanitisedNamesAndTotal()
    {
        var counter = _meter.CreateCounter<long>("orders.placed-now", "{order}", "Orders placed.");
        counter.Add(2, new KeyValuePair<string, object?>("shop.name", "north"), new KeyValuePair<string, object?>("kind", "gift"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "gift"), new KeyValuePair<string, object?>("shop.name", "north"));
        counter.Add(1);

        _exporter.Collect().ShouldBe("""
            # HELP orders_placed_now_total Orders placed.
            # TYPE orders_placed_now_total counter
            orders_placed_now_total 1
            orders_placed_now_total{kind="gift",shop_name="north"} 5

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void LabelValues_AreEscaped()
    {
        var counter = _meter.CreateCounter<int>("hits");
        counter.Add(1, new KeyValuePair<string, object?>("path", "a\\b \"quoted\"\nnext"));

        _exporter.Collect().ShouldContain("hits_total{path=\"a\\\\b \\\"quoted\\\"\\nnext\"} 1\n");
    }

    [Theory]
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("cleanbackend.jobs.finished", "{job}", true, "cleanbackend_jobs_finished_total")]
    [InlineData("requests_total", null, true, "requests_total")]
    [InlineData("size", "By", false, "size_bytes")]
    [InlineData("latency_seconds", "s", false, "latency_seconds")]
    [InlineData("throughput", "By/s", false, "throughput_bytes_per_second")]
    [InlineData("9lives", "1", false, "_9lives")]
    [InlineData("ns:metric/with spaces", "ms", true, "ns:metric_with_spaces_milliseconds_total")]
    public void MetricNames_AreSanitisedWithUnitAndCounterSuffixes(string name, string? unit, bool counter, string expected) =>
        PrometheusTextWriter.MetricName(name, unit, counter).ShouldBe(expected);

    [Fact]
    public void Histogram_HasCumulativeBucketsEndingWithInfSumAndCount()
    {
        var histogram = _meter.CreateHistogram<double>("job.duration", "s", "How long.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 5] });
        foreach (var value in new[] { 0.2, 0.5, 0.7, 3, 9 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("status", "done"));
        }

        _exporter.Collect().ShouldBe("""
            # HELP job_duration_seconds How long.
            # TYPE job_duration_seconds histogram
            job_duration_seconds_bucket{status="done",le="0.5"} 2
            job_duration_seconds_bucket{status="done",le="1"} 3
            job_duration_seconds_bucket{status="done",le="5"} 4
            job_duration_seconds_bucket{status="done",le="+Inf"} 5
            job_duration_seconds_sum{status="done"} 13.4
            job_duration_seconds_count{status="done"} 5

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Histogram_WithoutAdviceInSeconds_UsesLatencyBuckets()
    {
        _meter.CreateHistogram<double>("wait", "s").Record(0.003);

        var text = _exporter.Collect();

        text.ShouldContain("wait_seconds_bucket{le=\"0.005\"} 1\n");
        text.ShouldContain("wait_seconds_bucket{le=\"10\"} 1\n");
        text.ShouldContain("wait_seconds_bucket{le=\"+Inf\"} 1\n");
    }

    [Fact]
    public void Gauges_ShowCurrentValues_AndObservablesOnlyWhatTheyReportNow()
    {
        var depth = 7;
        var shown = true;
        _meter.CreateObservableGauge("queue.depth", () => shown ? [new Measurement<int>(depth)] : Array.Empty<Measurement<int>>());
        var active = _meter.CreateUpDownCounter<long>("active");
        active.Add(3);
        active.Add(-1);

        var first = _exporter.Collect();
        depth = 9;
        var second = _exporter.Collect();
        shown = false;
        var third = _exporter.Collect();

        first.ShouldContain("# TYPE queue_depth gauge\nqueue_depth 7\n");
        first.ShouldContain("# TYPE active gauge\nactive 2\n");
        second.ShouldContain("queue_depth 9\n");
        third.ShouldNotContain("queue_depth");
        third.ShouldContain("active 2\n");
    }

    [Fact]
    public void TagSetsPerInstrument_AreCapped()
    {
        var counter = _meter.CreateCounter<long>("routes");
        for (var i = 0; i < PrometheusExporter.MaxTagSetsPerInstrument + 50; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("route", $"/odd/{i}"));
        }

        _exporter.Collect().Split('\n').Count(l => l.StartsWith("routes_total{", StringComparison.Ordinal)).ShouldBe(PrometheusExporter.MaxTagSetsPerInstrument);
    }

    [Fact]
    public void Output_IsSortedByNameAndLabels()
    {
        _meter.CreateCounter<long>("zeta").Add(1);
        var alpha = _meter.CreateCounter<long>("alpha");
        alpha.Add(1, new KeyValuePair<string, object?>("k", "b"));
        alpha.Add(1, new KeyValuePair<string, object?>("k", "a"));

        var samples = _exporter.Collect().Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        samples.ShouldBe(["alpha_total{k=\"a\"} 1", "alpha_total{k=\"b\"} 1", "zeta_total 1"]);
    }

    [Fact]
    public void OtherMeters_AreNotExported()
    {
        using var other = new Meter("someone.else");
        other.CreateCounter<long>("theirs").Add(1);

        _exporter.Collect().ShouldNotContain("theirs");
    }
}
