using System.Net;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// One instance of the built service (dotnet CleanBackend.WebApi.dll) on a loopback port, with its own working
/// folder and logs and the cluster's shared settings. It can be killed (SIGKILL, like a crashed machine) and
/// started again on the same port.
/// </summary>
public sealed class ServiceInstance(string name, string serviceDll, int port, string folder, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ChildProcess? _process;

    /// <summary>The dotnet host running the tests, else the one on PATH.</summary>
    private static string DotnetHost =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    public string Name { get; } = name;

    public int Port { get; } = port;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>The process id, which the instance's worker puts in the leases it holds.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running.");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the instance and waits until GET /health/ready answers 200.</summary>
    public async Task StartAsync()
    {
        var work = Directory.CreateDirectory(Path.Combine(folder, "work")).FullName;
        var environment = new Dictionary<string, string?>(settings)
        {
            ["LOG_DIR"] = Directory.CreateDirectory(Path.Combine(folder, "logs")).FullName,
        };
        // The content root is the build output, as in a deployment, so its appsettings.json applies; relative data
        // paths (Data Protection keys) land in the instance's own working folder.
        _process = ChildProcess.Start(
            Name, DotnetHost, [serviceDll, "--urls", $"http://127.0.0.1:{Port}", "--contentRoot", Path.GetDirectoryName(serviceDll)!],
            work, folder, environment);

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    if (_process.HasExited)
                    {
                        throw new InvalidOperationException($"{Name} stopped during start-up.");
                    }

                    using var response = await probe.GetAsync(new Uri(Url, "health/ready"));
                    return response.StatusCode == HttpStatusCode.OK;
                },
                StartTimeout,
                $"{Name} answers GET /health/ready with 200",
                TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{e.Message}\n{Tail()}", e);
        }
    }

    /// <summary>kill -9: no shutdown, no handing back of jobs; its leases run out on their own.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>The last lines of its console output and error log (kept across kills and restarts).</summary>
    public string Tail(int lines = 40)
    {
        var logs = Path.Combine(folder, "logs");
        var errorLog = Directory.Exists(logs) ? Directory.GetFiles(logs, "error-*.log").OrderBy(f => f, StringComparer.Ordinal).LastOrDefault() : null;
        var state = _process is null ? "not running" : _process.HasExited ? "exited" : $"pid {_process.Id}";
        return $"--- {Name} ({state}) stdout, last {lines} lines:\n{ChildProcess.TailOf(Path.Combine(folder, Name + ".out"), lines)}\n" +
            $"--- {Name} stderr:\n{ChildProcess.TailOf(Path.Combine(folder, Name + ".err"), lines)}\n" +
            $"--- {Name} error log:\n{(errorLog is null ? "(none)" : ChildProcess.TailOf(errorLog, 20))}";
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}
