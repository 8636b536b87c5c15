using System.Collections.Concurrent;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>
/// When each API key was last used, noted in memory on every request and written in one batch every
/// <see cref="FlushEvery"/> (and when the service stops), so a request with a key costs no write. Each instance
/// writes its own uses; a write only ever moves a key's time forward.
/// </summary>
public sealed partial class ApiKeyUsage(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUsage> logger) : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, DateTime> _pending = new();

    public void Record(Guid keyId) => Note(keyId, clock.GetUtcNow().UtcDateTime);

    /// <summary>Writes the uses noted since the last flush; uses that could not be written wait for the next one.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(Guid KeyId, DateTime At)>();
        foreach (var keyId in _pending.Keys)
        {
            if (_pending.TryRemove(keyId, out var at))
            {
                batch.Add((keyId, at));
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            foreach (var (keyId, at) in batch)
            {
                await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < at))
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, at), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFlushFailed(logger, ex, batch.Count);
            foreach (var (keyId, at) in batch)
            {
                Note(keyId, at);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last uses are written below.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private void Note(Guid keyId, DateTime at) => _pending.AddOrUpdate(keyId, at, (_, noted) => noted > at ? noted : at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last use of {Count} API keys could not be recorded; retrying at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
