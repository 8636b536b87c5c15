using CleanBackend.Application.Common.Interfaces;
using Npgsql;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// One service per database this run can use: SQLite always, PostgreSQL too when TEST_POSTGRES_URL names a server
/// (a fresh database on it, dropped afterwards). For tests whose SQL differs by provider (GROUP BY, dates).
/// </summary>
public class ServicesPerDatabase : IAsyncLifetime
{
    private readonly IDictionary<string, string?> _settings;
    private readonly IModelServer? _modelServer;

    public ServicesPerDatabase()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>Services with <paramref name="settings"/> changed, generating on <paramref name="modelServer"/> when given.</summary>
    /// <param name="settings">Configuration keys every service of the run gets.</param>
    /// <param name="modelServer">The model server of every service; the built-in generator when null.</param>
    protected ServicesPerDatabase(IDictionary<string, string?> settings, IModelServer? modelServer = null)
    {
        _settings = settings;
        _modelServer = modelServer;
    }

    public const string PostgresUrlVariable = "TEST_POSTGRES_URL";

    private readonly Dictionary<string, CleanBackendFactory> _services = [];
    private string? _adminConnection;
    private string? _database;

    public static TheoryData<string> Providers =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresUrlVariable)) ? ["sqlite"] : ["sqlite", "postgres"];

    public CleanBackendFactory this[string provider] => _services[provider];

    public async Task InitializeAsync()
    {
        _services["sqlite"] = Create(new Dictionary<string, string?>());
        if (Environment.GetEnvironmentVariable(PostgresUrlVariable) is { Length: > 0 } url)
        {
            _adminConnection = CleanBackend.Infrastructure.Persistence.PostgresConnectionString.FromUrlOrKeywords(url);
            _database = "cleanbackend_functional_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new NpgsqlConnection(_adminConnection))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            _services["postgres"] = Create(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "postgres",
                ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database }.ConnectionString,
            });
        }
    }

    private CleanBackendFactory Create(Dictionary<string, string?> database)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in database)
        {
            settings[key] = value;
        }

        return _modelServer is null ? CleanBackendFactory.With(settings) : CleanBackendFactory.WithModelServer(_modelServer, settings);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values)
        {
            await service.DisposeAsync();
        }

        if (_adminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
