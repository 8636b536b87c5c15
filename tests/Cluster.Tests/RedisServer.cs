using System.Net.Sockets;
using System.Text;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// redis-server in the foreground on a loopback port, without persistence. The tests stop it (SIGKILL, as a crash
/// would) and start it again on the same port.
/// </summary>
public sealed class RedisServer(string program, int port, string folder) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private ChildProcess? _process;

    public int Port { get; } = port;

    /// <summary>As REDIS_URL takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public ChildProcess? Process => _process;

    public async Task StartAsync()
    {
        _process = ChildProcess.Start(
            "redis", program, ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", string.Empty, "--appendonly", "no", "--dir", folder],
            folder, folder);
        try
        {
            await Poll.UntilAsync(AnswersPingAsync, StartTimeout, $"redis-server answers PING on {Address}", TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{_process.Tail()}", e);
        }
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<bool> AnswersPingAsync()
    {
        if (_process is { HasExited: true })
        {
            throw new InvalidOperationException($"redis-server stopped during start-up.\n{_process.Tail()}");
        }

        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var answer = new byte[16];
            var read = await stream.ReadAsync(answer, timeout.Token);
            return Encoding.ASCII.GetString(answer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
