using Npgsql;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// A fresh database on the PostgreSQL server of TEST_POSTGRES_URL, shared by the cluster's instances (which migrate
/// it) and dropped at the end. The tests also read the job queue directly, to see which instance holds a job.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    private readonly string _serverConnection;
    private readonly string _name;

    private ClusterDatabase(string serverConnection, string name)
    {
        _serverConnection = serverConnection;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnection) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <param name="serverConnection">Npgsql keywords, e.g. Host=127.0.0.1;Port=5433;Username=postgres;Database=postgres.</param>
    public static async Task<ClusterDatabase> CreateAsync(string serverConnection)
    {
        var database = new ClusterDatabase(serverConnection, "cleanbackend_cluster_" + Guid.NewGuid().ToString("N")[..12]);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database._name}\"");
        return database;
    }

    /// <summary>Each job's queue state as the workers left it.</summary>
    public async Task<IReadOnlyList<QueuedJob>> JobsAsync(IEnumerable<Guid> ids)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // Table and columns as the service's EF configuration names them (GenerationJobConfiguration, Postgres migrations).
        await using var command = new NpgsqlCommand(
            "SELECT \"Id\", \"Status\", \"LeaseOwner\", \"Attempts\" FROM \"GenerationJobs\" WHERE \"Id\" = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new List<QueuedJob>();
        while (await reader.ReadAsync())
        {
            jobs.Add(new QueuedJob(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));
        }

        return jobs;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <param name="Id">The job.</param>
/// <param name="Status">As stored: Queued, Running, Completed, Failed, Canceled.</param>
/// <param name="LeaseOwner">The worker running it: "machine:processId:random".</param>
/// <param name="Attempts">How many times a worker started it.</param>
public sealed record QueuedJob(Guid Id, string Status, string? LeaseOwner, int Attempts)
{
    /// <summary>Whether the worker of the process <paramref name="processId"/> holds it.</summary>
    public bool IsHeldBy(int processId) => LeaseOwner?.Contains($":{processId}:", StringComparison.Ordinal) == true;
}
