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
        samples.Select(s => s.Name).ShouldContain("cleanbackend_jobs_queue_depth");
    }

    [Fact]
    public async Task Metrics_HasTheRequestDurationHistogramOfARouteJustCalled()
    {
        var client = factory.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var samples = ExpositionFormat.Parse(await client.GetStringAsync("/metrics"));

        bool Live(ExpositionFormat.Sample s) =>
            s.Has("http_route", "health/live") && s.Has("http_request_method", "GET") && s.Has("http_response_status_code", "200");
        var buckets = samples.Named("http_server_request_duration_seconds_bucket").Where(Live).ToList();
        buckets.ShouldNotBeEmpty();
        buckets.ShouldContain(b => b.Has("le", "+Inf") && b.Value >= 1);
        samples.Named("http_server_request_duration_seconds_count").Where(Live).Single().Value.ShouldBeGreaterThanOrEqualTo(1);
        samples.Named("http_server_request_duration_seconds_sum").Where(Live).Single().Value.ShouldBeGreaterThan(0);
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
            if (samples.Named("cleanbackend_job_duration_seconds_count").Any(s => s.Has("status", "completed")))
            {
                break;
            }

            await Task.Delay(50, patience.Token);
        }

        samples.Named("cleanbackend_jobs_finished_total").Single(s => s.Has("status", "completed")).Value.ShouldBeGreaterThanOrEqualTo(1);
        samples.Named("cleanbackend_job_duration_seconds_bucket").ShouldContain(s => s.Has("status", "completed") && s.Has("le", "+Inf") && s.Value >= 1);
        samples.Named("cleanbackend_jobs").Single(s => s.Has("status", "completed")).Value.ShouldBeGreaterThanOrEqualTo(1);
        samples.Named("cleanbackend_jobs").Select(s => s.Labels["status"]).Order().ShouldBe(["canceled", "completed", "failed", "queued", "running"]);
        samples.Named("cleanbackend_jobs_queue_depth").Single().Value.ShouldBeGreaterThanOrEqualTo(0);
        samples.Named("cleanbackend_job_events_subscribers").Single().Value.ShouldBeGreaterThanOrEqualTo(1);
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
