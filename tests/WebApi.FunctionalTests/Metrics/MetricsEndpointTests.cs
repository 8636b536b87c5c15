using System.Net;
using System.Net.Http.Json;
using CleanBackend.Infrastructure.Metrics;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Metrics;

[Collection(SharedServiceCollection.Name)]
public sealed class MetricsEndpointTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Metrics_IsAnonymousPrometheusTextThatParses()
    {
        var response = await factory.CreateClient().GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        var samples = ExpositionFormat.Parse(await response.Content.ReadAsStringAsync());
        samples.ShouldNotBeEmpty();
        samples.Select(s => s.Name).ShouldContain("cleanbackend_cleanbackend_jobs_queue_depth");
    }

    [Fact]
    public async Task Metrics_HasTheRequestDurationHistogramOfARouteJustCalled()
    {
        var client = factory.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var samples = ExpositionFormat.Parse(await client.GetStringAsync("/metrics"));

        bool Live(ExpositionFormat.Sample s) =>
            s.Has("http_route", "health/live") && s.Has("http_request_method", "GET") && s.Has("http_response_status_code", "200");
        var buckets = samples.Named("microsoft_aspnetcore_hosting_http_server_request_duration_bucket").Where(Live).ToList();
        buckets.ShouldNotBeEmpty();
        buckets.ShouldContain(b => b.Has("le", "+Inf") && b.Value >= 1);

        // ASP.NET Core's advised boundaries, not prometheus-net's default ones.
        buckets.Select(b => b.Labels["le"]).ShouldBe(["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf"]);
        samples.Named("microsoft_aspnetcore_hosting_http_server_request_duration_count").Where(Live).Single().Value.ShouldBeGreaterThanOrEqualTo(1);
        samples.Named("microsoft_aspnetcore_hosting_http_server_request_duration_sum").Where(Live).Single().Value.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Metrics_CountAndTimeAFinishedGeneration()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(id);

        // The job event reaches the metrics in the background: scrape until it has.
        IReadOnlyList<ExpositionFormat.Sample> samples;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            samples = ExpositionFormat.Parse(await factory.CreateClient().GetStringAsync("/metrics", patience.Token));
            if (samples.Named("cleanbackend_cleanbackend_job_duration_count").Any(s => s.Has("status", "completed")))
            {
                break;
            }

            await Task.Delay(50, patience.Token);
        }

        samples.Named("cleanbackend_cleanbackend_jobs_finished").Single(s => s.Has("status", "completed")).Value.ShouldBeGreaterThanOrEqualTo(1);
        samples.Named("cleanbackend_cleanbackend_job_duration_bucket").ShouldContain(s => s.Has("status", "completed") && s.Has("le", "+Inf") && s.Value >= 1);
        samples.Named("cleanbackend_cleanbackend_jobs").Single(s => s.Has("status", "completed")).Value.ShouldBeGreaterThanOrEqualTo(1);
        samples.Named("cleanbackend_cleanbackend_jobs").Select(s => s.Labels["status"]).Order().ShouldBe(["canceled", "completed", "failed", "queued", "running"]);
        samples.Named("cleanbackend_cleanbackend_jobs_queue_depth").Single().Value.ShouldBeGreaterThanOrEqualTo(0);
        samples.Named("cleanbackend_cleanbackend_job_events_subscribers").Single().Value.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Metrics_ShowOnlyThisHostsMetersAndNoneOfPrometheusNetsDefaultCollectors()
    {
        (await factory.CreateClient().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var other = new CleanBackendFactory();

        var samples = ExpositionFormat.Parse(await other.CreateClient().GetStringAsync("/metrics"));

        samples.Named("microsoft_aspnetcore_hosting_http_server_request_duration_count").ShouldNotContain(s => s.Has("http_route", "health/live"));
        samples.Select(s => s.Name).ShouldContain("system_runtime_dotnet_gc_heap_total_allocated");
        samples.ShouldAllBe(s =>
            s.Name.StartsWith("microsoft_aspnetcore_hosting_", StringComparison.Ordinal)
            || s.Name.StartsWith("microsoft_aspnetcore_server_kestrel_", StringComparison.Ordinal)
            || s.Name.StartsWith("cleanbackend_cleanbackend_", StringComparison.Ordinal)
            || s.Name.StartsWith("system_runtime_", StringComparison.Ordinal)
            || s.Name == "prometheus_net_meteradapter_instruments_connected");
    }

    [Fact]
    public void OtlpExport_IsOffWithoutAnEndpoint()
    {
        factory.Services.GetService<OtlpMetricsExporter>().ShouldBeNull();
    }

    [Fact]
    public async Task OtlpExport_StartsAProviderWhenAnEndpointIsSet()
    {
        await using var otlp = CleanBackendFactory.With(new Dictionary<string, string?> { [OtlpMetricsExporter.EndpointVariable] = "http://127.0.0.1:4317" });

        (await otlp.CreateClient().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);

        otlp.Services.GetRequiredService<OtlpMetricsExporter>().Provider.ShouldNotBeNull();
    }
}
