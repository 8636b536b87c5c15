namespace CleanBackend.Cluster.Tests;

/// <summary>
/// What the cluster needs on the machine: a PostgreSQL server (TEST_POSTGRES_URL), redis-server and nginx. On a
/// developer's machine without them the tests are skipped; under CI (CI=true) they run and fail instead, so a
/// missing install step cannot pass unnoticed.
/// </summary>
public static class ClusterPrerequisites
{
    public const string PostgresUrlVariable = "TEST_POSTGRES_URL";

    // nginx lives in sbin, which a non-root PATH often lacks.
    private static readonly string[] ExtraFolders = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

    public static string? PostgresUrl => Environment.GetEnvironmentVariable(PostgresUrlVariable) is { Length: > 0 } url ? url : null;

    public static string? RedisServer => FindProgram("redis-server");

    public static string? Nginx => FindProgram("nginx");

    public static bool IsCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>What is missing, in words; null when everything is there.</summary>
    public static string? Missing
    {
        get
        {
            var missing = new List<string>();
            if (PostgresUrl is null)
            {
                missing.Add($"{PostgresUrlVariable} is not set (build/postgres.sh start prints one)");
            }

            if (RedisServer is null)
            {
                missing.Add("redis-server is not installed (apt-get install redis-server)");
            }

            if (Nginx is null)
            {
                missing.Add("nginx is not installed (apt-get install nginx)");
            }

            return missing.Count == 0 ? null : string.Join("; ", missing);
        }
    }

    /// <summary>The skip reason for a test: only outside CI, and only when something is missing.</summary>
    public static string? SkipReason => IsCi || Missing is not { } missing ? null : $"The cluster tests need: {missing}.";

    private static string? FindProgram(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraFolders);
        return folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
    }
}
