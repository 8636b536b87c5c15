using System.Diagnostics.Metrics;
using System.Text;
using CleanBackend.WebApi.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Metrics;

/// <summary>The registry behind /metrics: which meters it shows, under what names, with which buckets.</summary>
public sealed class PrometheusMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceProvider _otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _otherServices.Dispose();
    }

    [Fact]
    public async Task Export_ShowsTheChosenMetersOfItsOwnFactoryOnly()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var metrics = new PrometheusMetrics(factory, ["Test.Chosen"]);
        factory.Create("Test.Chosen").CreateCounter<long>("test.requests", "{request}", "Requests.").Add(2, new KeyValuePair<string, object?>("route", "a\"b"));
        factory.Create("Test.Other").CreateCounter<long>("test.requests", "{request}", "Requests.").Add(5);
        _otherServices.GetRequiredService<IMeterFactory>().Create("Test.Chosen").CreateCounter<long>("test.requests").Add(7);

        var samples = ExpositionFormat.Parse(await ExportAsync(metrics));

        // Meter and instrument name together; counters are gauges in prometheus-net's adapter.
        samples.Select(s => s.Name).Order(StringComparer.Ordinal).ShouldBe(["prometheus_net_meteradapter_instruments_connected", "test_chosen_test_requests"]);
        var sample = samples.Named("test_chosen_test_requests").ShouldHaveSingleItem();
        sample.Value.ShouldBe(2);
        sample.Labels.ShouldBe(new Dictionary<string, string> { ["route"] = "a\"b" });
    }

    [Fact]
    public async Task Histogram_UsesTheInstrumentsAdvisedBuckets()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var metrics = new PrometheusMetrics(factory, ["Test.Chosen"]);
        var histogram = factory.Create("Test.Chosen").CreateHistogram<double>(
            "test.duration", "s", "Durations.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 2] });
        histogram.Record(0.2);
        histogram.Record(1);
        histogram.Record(3);

        var samples = ExpositionFormat.Parse(await ExportAsync(metrics));

        samples.Named("test_chosen_test_duration_bucket").Select(s => (s.Labels["le"], s.Value)).ShouldBe([("0.5", 1), ("2", 2), ("+Inf", 3)]);
        samples.Named("test_chosen_test_duration_sum").ShouldHaveSingleItem().Value.ShouldBe(4.2, tolerance: 1e-9);
        samples.Named("test_chosen_test_duration_count").ShouldHaveSingleItem().Value.ShouldBe(3);
    }

    [Fact]
    public async Task ObservableGauge_IsReadAtEachExport()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var metrics = new PrometheusMetrics(factory, ["Test.Chosen"]);
        var depth = 3;
        factory.Create("Test.Chosen").CreateObservableGauge("test.depth", () => depth);

        ExpositionFormat.Parse(await ExportAsync(metrics)).Named("test_chosen_test_depth").ShouldHaveSingleItem().Value.ShouldBe(3);
        depth = 8;
        ExpositionFormat.Parse(await ExportAsync(metrics)).Named("test_chosen_test_depth").ShouldHaveSingleItem().Value.ShouldBe(8);
    }

    private static async Task<string> ExportAsync(PrometheusMetrics metrics)
    {
        using var output = new MemoryStream();
        await metrics.WriteAsync(output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
