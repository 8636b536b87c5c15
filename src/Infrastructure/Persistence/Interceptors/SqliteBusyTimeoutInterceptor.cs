using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CleanBackend.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Lets SQLite itself wait for another writer's lock, polling every few milliseconds. Without a busy timeout SQLite
/// answers "busy" at once and Microsoft.Data.Sqlite retries after a fixed 150 ms sleep, so two requests writing at
/// the same moment (a new job and a worker finishing one) cost the second one 150 ms or more. The wait still gives up
/// after the command timeout, as before.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeoutInterceptor Instance = new();

    /// <summary>Microsoft.Data.Sqlite's default command timeout.</summary>
    public const int TimeoutMilliseconds = 30_000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, TimeoutMilliseconds);
        }
    }
}
