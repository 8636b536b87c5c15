using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace CleanBackend.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Two settings of every SQLite connection, made once per native connection (the pool hands the same one out again):
/// <list type="bullet">
/// <item>A busy timeout: SQLite itself waits for another writer's lock, polling every few milliseconds. Without one it
/// answers "busy" at once and Microsoft.Data.Sqlite retries after a fixed 150 ms sleep, so two requests writing at the
/// same moment (a new job and a worker finishing one) cost the second one 150 ms or more. The wait still gives up after
/// the command timeout, as before.</item>
/// <item><c>synchronous = NORMAL</c>, SQLite's advice for its write-ahead log (which EF Core's migrations turn on): a
/// commit no longer waits for the disk, only a checkpoint does. The database cannot be corrupted by a crash; a power
/// cut may lose the last commits.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionSettingsInterceptor : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSettingsInterceptor Instance = new();

    /// <summary>Microsoft.Data.Sqlite's default command timeout.</summary>
    public const int TimeoutMilliseconds = 30_000;

    private static readonly ConditionalWeakTable<sqlite3, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && !Configured.TryGetValue(handle, out _))
        {
            raw.sqlite3_busy_timeout(handle, TimeoutMilliseconds);
            raw.sqlite3_exec(handle, "PRAGMA synchronous = NORMAL");
            Configured.TryAdd(handle, Instance);
        }
    }
}
