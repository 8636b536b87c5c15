namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// Progress for a server that reports none: on every tick the estimate creeps towards <see cref="Ceiling"/>
/// (<c>ceiling × (1 − e^(−elapsed / expected))</c>: 57 % of the way after the expected time, 86 % after three times
/// it) and never reaches it, so a slow generation still looks alive and 100 is left for the real end.
/// </summary>
internal sealed class EstimatedProgress : IAsyncDisposable
{
    public const int Ceiling = 90;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ticking;

    public EstimatedProgress(IProgress<int> progress, TimeSpan expected, TimeSpan tick, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _ticking = TickAsync(progress, expected, tick, time, _stop.Token);
    }

    /// <summary>Stops the ticks; no estimate is reported after this returns.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _ticking;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>At least 1 from the first tick: "working on it".</summary>
    public static int Estimate(TimeSpan elapsed, TimeSpan expected) =>
        Math.Max(1, (int)(Ceiling * (1 - Math.Exp(-elapsed.TotalMilliseconds / Math.Max(1, expected.TotalMilliseconds)))));

    private static async Task TickAsync(IProgress<int> progress, TimeSpan expected, TimeSpan tick, TimeProvider time, CancellationToken stop)
    {
        var started = time.GetTimestamp();
        var last = 0;
        using var timer = new PeriodicTimer(tick, time);
        while (await timer.WaitForNextTickAsync(stop))
        {
            var estimate = Estimate(time.GetElapsedTime(started), expected);
            if (estimate > last)
            {
                last = estimate;
                progress.Report(estimate);
            }
        }
    }
}
