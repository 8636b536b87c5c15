namespace CleanBackend.WebApi.Metrics;

/// <summary>
/// The recent requests of each route in bounded ring buffers, for the admin performance report: per-route latency
/// percentiles, counts and errors over a recent window, and the slowest requests. Routes are templates and methods
/// a known set, never raw paths or query strings, and the number of routes kept is capped.
/// </summary>
public sealed class RequestPerformanceRecorder(TimeProvider clock)
{
    /// <summary>How far back the report looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public const int SamplesPerRoute = 512;
    public const int MaxRoutes = 200;
    public const int SlowestShown = 20;

    private readonly DateTime _startedAt = clock.GetUtcNow().UtcDateTime;
    private readonly Dictionary<(string Method, string Route), RouteSamples> _routes = [];
    private readonly Lock _gate = new();

    public void Record(string method, string route, int statusCode, double durationMs, string requestId)
    {
        var sample = new RequestSample(clock.GetUtcNow().UtcDateTime, durationMs, statusCode, requestId);
        RouteSamples? samples;
        lock (_gate)
        {
            if (!_routes.TryGetValue((method, route), out samples))
            {
                if (_routes.Count >= MaxRoutes)
                {
                    return;
                }

                samples = new RouteSamples();
                _routes[(method, route)] = samples;
            }
        }

        samples.Add(sample);
    }

    /// <summary>The report over the window ending now; requests at or above <paramref name="slowThresholdMs"/> are listed as slow.</summary>
    public PerformanceReport Report(int slowThresholdMs)
    {
        // A service up for less than the window reports since it started.
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - Window > _startedAt ? now - Window : _startedAt;
        List<KeyValuePair<(string Method, string Route), RouteSamples>> routes;
        lock (_gate)
        {
            routes = [.. _routes];
        }

        var stats = new List<RoutePerformance>();
        var slow = new List<SlowRequest>();
        foreach (var ((method, route), samples) in routes)
        {
            var recent = samples.Since(since);
            if (recent.Length == 0)
            {
                continue;
            }

            var sorted = recent.Select(s => s.DurationMs).Order().ToArray();
            stats.Add(new RoutePerformance(
                route, method, recent.Length, recent.Count(s => s.StatusCode >= 500),
                Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99)));
            slow.AddRange(recent
                .Where(s => s.DurationMs >= slowThresholdMs)
                .Select(s => new SlowRequest(method, route, s.StatusCode, Math.Round(s.DurationMs, 1), s.At, s.RequestId)));
        }

        return new PerformanceReport(
            new PerformanceWindow(since, stats.Sum(r => r.Count)),
            [.. stats.OrderBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)],
            [.. slow.OrderByDescending(s => s.DurationMs).ThenByDescending(s => s.At).Take(SlowestShown)]);
    }

    /// <summary>Nearest rank: the smallest sample that at least p% of the samples do not exceed.</summary>
    private static double Percentile(double[] sorted, int percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 1);
    }

    private sealed record RequestSample(DateTime At, double DurationMs, int StatusCode, string RequestId);

    /// <summary>The last <see cref="SamplesPerRoute"/> requests of one route: the oldest is overwritten first.</summary>
    private sealed class RouteSamples
    {
        private readonly RequestSample[] _ring = new RequestSample[SamplesPerRoute];
        private readonly Lock _gate = new();
        private int _next;
        private int _count;

        public void Add(RequestSample sample)
        {
            lock (_gate)
            {
                _ring[_next] = sample;
                _next = (_next + 1) % _ring.Length;
                _count = Math.Min(_count + 1, _ring.Length);
            }
        }

        public RequestSample[] Since(DateTime since)
        {
            lock (_gate)
            {
                return [.. _ring.Take(_count).Where(s => s.At >= since)];
            }
        }
    }
}

/// <param name="Window">What the report covers.</param>
/// <param name="Routes">Per route and method: requests, server errors (5xx) and latency percentiles in ms.</param>
/// <param name="Slowest">The slowest requests at or above the slow request threshold, slowest first.</param>
public sealed record PerformanceReport(PerformanceWindow Window, IReadOnlyList<RoutePerformance> Routes, IReadOnlyList<SlowRequest> Slowest);

/// <param name="Since">Start of the window (UTC).</param>
/// <param name="Requests">Requests in the window that the report counts (each route keeps its latest ones only).</param>
public sealed record PerformanceWindow(DateTime Since, int Requests);

/// <param name="Route">The route template, as in the metrics' http_route label, or "(unmatched)".</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Count">Requests.</param>
/// <param name="Errors">Answers with a 5xx status.</param>
/// <param name="P50Ms">Median latency.</param>
/// <param name="P95Ms">95th percentile latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
public sealed record RoutePerformance(string Route, string Method, int Count, int Errors, double P50Ms, double P95Ms, double P99Ms);

/// <param name="Method">The HTTP method.</param>
/// <param name="Route">The route template.</param>
/// <param name="StatusCode">The answer's status (499 when the client went away first).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="At">When it ended (UTC).</param>
/// <param name="RequestId">Its X-Request-Id, to find its log lines.</param>
public sealed record SlowRequest(string Method, string Route, int StatusCode, double DurationMs, DateTime At, string RequestId);
