using System.Diagnostics;

namespace CleanBackend.Cluster.Tests;

/// <summary>Bounded waiting: asks again and again until a condition holds, and fails, saying what, at the deadline.</summary>
public static class Poll
{
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> is true; returns how long that took.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }

                lastError = null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // A request that failed is a "not yet"; the last one is reported if time runs out.
                lastError = e;
            }

            if (clock.Elapsed >= within)
            {
                throw new TimeoutException($"Not within {within.TotalSeconds:0.#} s: {what}.{(lastError is null ? string.Empty : $" Last error: {lastError.Message}")}");
            }

            await Task.Delay(every ?? DefaultEvery);
        }
    }

    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan within, string what, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), within, what, every);
}
