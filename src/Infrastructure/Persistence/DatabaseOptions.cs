using CleanBackend.Infrastructure.Configuration;

namespace CleanBackend.Infrastructure.Persistence;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string DefaultSqliteConnectionString = "Data Source=data/cleanbackend.db";

    /// <summary><c>sqlite</c> (default), <c>sqlserver</c> or <c>postgres</c> (DATABASE_PROVIDER).</summary>
    public string Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>DATABASE_URL or ConnectionStrings__Default; a file under <c>data/</c> for SQLite when unset.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start-up (DATABASE_MIGRATE_ON_STARTUP).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public string NormalizedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "postgresql" or "npgsql" or "pg" => DatabaseProvider.Postgres,
        "mssql" => DatabaseProvider.SqlServer,
        var p => p,
    };

    public string EffectiveConnectionString => NormalizedProvider switch
    {
        DatabaseProvider.Sqlite => string.IsNullOrWhiteSpace(ConnectionString) ? DefaultSqliteConnectionString : ConnectionString,
        DatabaseProvider.Postgres => PostgresConnectionString.FromUrlOrKeywords(ConnectionString ?? string.Empty),
        _ => ConnectionString ?? string.Empty,
    };
}

public static class DatabaseProvider
{
    public const string Sqlite = "sqlite";
    public const string SqlServer = "sqlserver";
    public const string Postgres = "postgres";

    public static readonly IReadOnlyList<string> All = [Sqlite, SqlServer, Postgres];
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var errors = new OptionsErrors();
        if (!DatabaseProvider.All.Contains(options.NormalizedProvider))
        {
            errors.Add("DATABASE_PROVIDER", $"'{options.Provider}' is not one of {string.Join(", ", DatabaseProvider.All)}.");
        }
        else if (options.NormalizedProvider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("DATABASE_URL", $"a connection string is required when DATABASE_PROVIDER is {options.NormalizedProvider} (or set ConnectionStrings__Default).");
        }
        else if (options.NormalizedProvider == DatabaseProvider.Postgres && !PostgresConnectionString.IsValid(options.ConnectionString!))
        {
            errors.Add("DATABASE_URL", "is neither a postgres:// URL nor a keyword connection string.");
        }

        return errors.ToResult();
    }
}
