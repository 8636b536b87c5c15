using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Usage.Common;

public static class UsageLimitNames
{
    /// <summary>Jobs created (POST /api/generate, POST /api/jobs) per clock hour.</summary>
    public const string Generation = "generation";

    /// <summary>Chats, messages, uploads and jobs created per quarter hour.</summary>
    public const string Creation = "creation";
}

/// <summary>One limit in its current window: <see cref="Used"/> of <see cref="Limit"/> until <see cref="ResetsAt"/>.</summary>
/// <param name="Name">The limit (<see cref="UsageLimitNames"/>).</param>
/// <param name="Limit">The most allowed in one window.</param>
/// <param name="WindowSeconds">The length of a window.</param>
/// <param name="Used">What the current window has counted.</param>
/// <param name="ResetsAt">The end of the current window.</param>
public sealed record UsageWindow(string Name, int Limit, int WindowSeconds, int Used, DateTime ResetsAt)
{
    public int Remaining => Math.Max(0, Limit - Used);
}

/// <summary>
/// The per-user limits, counted from the database in fixed windows on the UTC clock (the hour, the quarter hour),
/// so every instance of the service sees the same counts without any shared memory.
/// </summary>
public sealed class UsageLimits(IApplicationDbContext db, CreditAccount credits)
{
    private const int GenerationWindowSeconds = 3600;
    private const int CreationWindowSeconds = 900;

    /// <summary>False when RATE_LIMIT_ENABLED=false: no limits and no active-job cap.</summary>
    public bool Enabled => credits.Options.LimitsEnabled;

    public async Task<IReadOnlyList<UsageWindow>> ReadAsync(Guid userId, CreditPlan plan, IEnumerable<string> names, DateTime now, CancellationToken cancellationToken)
    {
        var windows = new List<UsageWindow>();
        foreach (var name in names)
        {
            windows.Add(name switch
            {
                UsageLimitNames.Generation => await WindowAsync(name, plan.GenerationsPerHour, GenerationWindowSeconds, now, start => CountJobsAsync(userId, start, cancellationToken)),
                UsageLimitNames.Creation => await WindowAsync(name, plan.CreatesPer15Minutes, CreationWindowSeconds, now, start => CountCreationsAsync(userId, start, cancellationToken)),
                _ => throw new ArgumentOutOfRangeException(nameof(names), name, "Not a usage limit."),
            });
        }

        return windows;
    }

    /// <summary>The user's queued and running jobs.</summary>
    public Task<int> CountActiveJobsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.GenerationJobs.CountAsync(j => j.UserId == userId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running), cancellationToken);

    private static async Task<UsageWindow> WindowAsync(string name, int limit, int seconds, DateTime now, Func<DateTime, Task<int>> count)
    {
        var length = TimeSpan.FromSeconds(seconds);
        var start = new DateTime(now.Ticks - (now.Ticks % length.Ticks), DateTimeKind.Utc);
        return new UsageWindow(name, limit, seconds, await count(start), start + length);
    }

    private Task<int> CountJobsAsync(Guid userId, DateTime since, CancellationToken cancellationToken) =>
        db.GenerationJobs.CountAsync(j => j.UserId == userId && j.CreatedAt >= since, cancellationToken);

    // Chats, the user's own messages, uploads (assets of no job) and jobs; a job posted to a chat counts once, as its
    // prompt message.
    private async Task<int> CountCreationsAsync(Guid userId, DateTime since, CancellationToken cancellationToken)
    {
        var chats = await db.Chats.CountAsync(c => c.UserId == userId && c.CreatedAt >= since, cancellationToken);
        var messages = await db.Messages.CountAsync(
            m => m.Role == MessageRole.User && m.CreatedAt >= since && db.Chats.Any(c => c.Id == m.ChatId && c.UserId == userId), cancellationToken);
        var uploads = await db.Assets.CountAsync(a => a.UserId == userId && a.JobId == null && a.CreatedAt >= since, cancellationToken);
        var jobs = await db.GenerationJobs.CountAsync(j => j.UserId == userId && j.CreatedAt >= since && !(j.ReplyInChat && j.ChatId != null), cancellationToken);
        return chats + messages + uploads + jobs;
    }
}
