using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// nginx in the foreground with the committed site configuration (deploy/nginx/cleanbackend.conf), changed only
/// where a test machine must differ: each upstream's servers become the instances' loopback addresses, and it
/// listens on a free loopback port. Everything else (SSE locations, retries, timeouts) is the deployed file's.
/// </summary>
public sealed partial class NginxProxy(string program, string siteFile, int port, IReadOnlyList<int> instancePorts, string folder) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private ChildProcess? _process;

    public Uri Url => new($"http://127.0.0.1:{port}/");

    public ChildProcess? Process => _process;

    /// <summary>The site file with the upstream servers and the listen port replaced.</summary>
    public static string LocalSite(string deployed, IReadOnlyList<int> instancePorts, int port)
    {
        var upstreams = 0;
        var site = UpstreamBlock().Replace(deployed, block =>
        {
            upstreams++;
            var servers = UpstreamServer().Matches(block.Value);
            if (servers.Count == 0)
            {
                throw new InvalidOperationException($"{block.Groups["name"].Value}: an upstream without 'server host:port ...;' lines.");
            }

            // The first server line gives the indentation and parameters (max_fails=...) of all the instances' lines.
            var first = servers[0];
            var lines = string.Concat(instancePorts.Select(p => string.Create(
                CultureInfo.InvariantCulture, $"{first.Groups["indent"].Value}server 127.0.0.1:{p}{first.Groups["parameters"].Value};\n")));
            var body = UpstreamServer().Replace(block.Value, match => match.Index == first.Index ? lines : string.Empty);
            return body;
        });
        if (upstreams == 0)
        {
            throw new InvalidOperationException("The site file has no upstream block.");
        }

        var listens = Listen().Count(site);
        if (listens == 0)
        {
            throw new InvalidOperationException("The site file has no 'listen PORT;' line.");
        }

        return Listen().Replace(site, match => string.Create(CultureInfo.InvariantCulture, $"{match.Groups["indent"].Value}listen 127.0.0.1:{port};"));
    }

    public async Task StartAsync(Func<Uri, Task<bool>> isServing)
    {
        var site = Path.Combine(folder, "cleanbackend.conf");
        await File.WriteAllTextAsync(site, LocalSite(await File.ReadAllTextAsync(siteFile), instancePorts, port));
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(folder, temp));
        }

        var main = new StringBuilder()
            .AppendLine("worker_processes 1;")
            // As root, workers would run as nobody and could not enter this private folder.
            .AppendLine(Environment.UserName == "root" ? "user root;" : string.Empty)
            .AppendLine(CultureInfo.InvariantCulture, $"pid {folder}/nginx.pid;")
            .AppendLine(CultureInfo.InvariantCulture, $"error_log {folder}/error.log warn;")
            .AppendLine("events { worker_connections 1024; }")
            .AppendLine("http {")
            .AppendLine("    access_log off;")
            .AppendLine(CultureInfo.InvariantCulture, $"    client_body_temp_path {folder}/client_body;")
            .AppendLine(CultureInfo.InvariantCulture, $"    proxy_temp_path {folder}/proxy;")
            .AppendLine(CultureInfo.InvariantCulture, $"    fastcgi_temp_path {folder}/fastcgi;")
            .AppendLine(CultureInfo.InvariantCulture, $"    uwsgi_temp_path {folder}/uwsgi;")
            .AppendLine(CultureInfo.InvariantCulture, $"    scgi_temp_path {folder}/scgi;")
            .AppendLine(CultureInfo.InvariantCulture, $"    include {site};")
            .AppendLine("}");
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, main.ToString());

        // -e: the error log from the first line on, before the configuration (and its error_log) is read.
        _process = ChildProcess.Start("nginx", program, ["-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;"], folder, folder);
        try
        {
            await Poll.UntilAsync(
                async () => _process.HasExited
                    ? throw new InvalidOperationException("nginx stopped during start-up.")
                    : await isServing(Url),
                StartTimeout,
                $"nginx serves {Url}",
                TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{e.Message}\n{_process.Tail()}\n--- nginx error.log:\n{ChildProcess.TailOf(Path.Combine(folder, "error.log"), 40)}", e);
        }
    }

    public string Tail() => _process is null ? string.Empty
        : $"{_process.Tail()}\n--- nginx error.log:\n{ChildProcess.TailOf(Path.Combine(folder, "error.log"), 20)}";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    [GeneratedRegex(@"^[ \t]*upstream[ \t]+(?<name>\S+)[ \t]*\{.*?^[ \t]*\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex UpstreamBlock();

    [GeneratedRegex(@"^(?<indent>[ \t]*)server[ \t]+[^\s;]+:\d+(?<parameters>[^;\n]*);[ \t]*\n", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"^(?<indent>[ \t]*)listen[ \t]+\d+[ \t]*;", RegexOptions.Multiline)]
    private static partial Regex Listen();
}
