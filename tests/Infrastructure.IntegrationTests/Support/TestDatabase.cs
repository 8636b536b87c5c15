using CleanBackend.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CleanBackend.Infrastructure.IntegrationTests.Support;

/// <summary>
/// A real, migrated, throwaway database of one provider: a SQLite file, or a fresh database on the
/// PostgreSQL server named by TEST_POSTGRES_URL.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresUrlVariable = "TEST_POSTGRES_URL";

    private readonly string? _sqliteFile;
    private readonly string? _postgresAdminConnection;
    private readonly string? _postgresDatabase;

    private TestDatabase(string provider, string connectionString, string? sqliteFile, string? postgresAdminConnection, string? postgresDatabase)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
        _postgresAdminConnection = postgresAdminConnection;
        _postgresDatabase = postgresDatabase;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The providers this run can test: SQLite always, PostgreSQL when a server is given.</summary>
    public static IReadOnlyList<string> AvailableProviders =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresUrlVariable))
            ? [DatabaseProvider.Sqlite]
            : [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    public static async Task<TestDatabase> CreateAsync(string provider, bool migrate = true)
    {
        TestDatabase database;
        if (provider == DatabaseProvider.Postgres)
        {
            var admin = PostgresConnectionString.FromUrlOrKeywords(Environment.GetEnvironmentVariable(PostgresUrlVariable)
                ?? throw new InvalidOperationException($"{PostgresUrlVariable} is not set."));
            var name = "cleanbackend_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await command.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
            database = new TestDatabase(provider, builder.ConnectionString, null, admin, name);
        }
        else
        {
            var file = Path.Combine(Path.GetTempPath(), "cleanbackend-tests", Guid.NewGuid().ToString("N") + ".db");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            database = new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", file, null, null);
        }

        if (migrate)
        {
            await using var db = database.CreateContext();
            await db.Database.MigrateAsync();
        }

        return database;
    }

    public ApplicationDbContext CreateContext(params IInterceptor[] interceptors) => Provider switch
    {
        DatabaseProvider.Postgres => new PostgresApplicationDbContext(
            new DbContextOptionsBuilder<PostgresApplicationDbContext>().UseNpgsql(ConnectionString).AddInterceptors(interceptors).Options),
        _ => new SqliteApplicationDbContext(
            new DbContextOptionsBuilder<SqliteApplicationDbContext>().UseSqlite(ConnectionString).AddInterceptors(interceptors).Options),
    };

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_sqliteFile);
        }

        if (_postgresAdminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdminConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>One migrated database per provider, shared by the tests of a class; each test makes its own users.</summary>
public sealed class DatabasesFixture : IAsyncLifetime
{
    private readonly Dictionary<string, TestDatabase> _databases = [];

    public TestDatabase this[string provider] => _databases[provider];

    public async Task InitializeAsync()
    {
        foreach (var provider in TestDatabase.AvailableProviders)
        {
            _databases[provider] = await TestDatabase.CreateAsync(provider);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }
    }
}

public static class Providers
{
    public static TheoryData<string> Available => [.. TestDatabase.AvailableProviders];
}
