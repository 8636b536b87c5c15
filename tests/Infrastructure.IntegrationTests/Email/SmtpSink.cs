using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

/// <summary>One message as the sink received it: the envelope and the raw DATA (dot-stuffing removed).</summary>
public sealed record SmtpSinkMessage(string MailFrom, IReadOnlyList<string> Recipients, string Data)
{
    public MimePart Mime => MimePart.Parse(Data);
}

/// <summary>
/// A loopback SMTP server that speaks just enough SMTP for System.Net.Mail and keeps what it receives. It can
/// answer the first DATA commands with a transient 451 and chosen recipients with a permanent 550.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SmtpSinkMessage> _received = Channel.CreateUnbounded<SmtpSinkMessage>();
    private readonly List<SmtpSinkMessage> _all = [];
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _mailCommands;
    private int _recipientCommands;
    private int _dataCommands;

    public SmtpSink()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How many DATA commands, counted from the first, are answered "451 4.3.0 try again".</summary>
    public int FailDataCommands { get; set; }

    /// <summary>Recipients for which RCPT TO is answered "550 5.1.1 no such user".</summary>
    public Func<string, bool> RejectRecipient { get; set; } = _ => false;

    /// <summary>MAIL FROM commands seen, i.e. how many times a client tried to send.</summary>
    public int MailCommands => Volatile.Read(ref _mailCommands);

    public int RecipientCommands => Volatile.Read(ref _recipientCommands);

    public int DataCommands => Volatile.Read(ref _dataCommands);

    public IReadOnlyList<SmtpSinkMessage> Messages
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>The next message not yet taken; waits up to 30 seconds so a broken test fails instead of hanging.</summary>
    public async Task<SmtpSinkMessage> NextMessageAsync()
    {
        using var wait = new CancellationTokenSource(DefaultWait);
        return await NextMessageAsync(wait.Token);
    }

    public async Task<SmtpSinkMessage> NextMessageAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _received.Reader.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The SMTP sink received no further message (it has {Messages.Count}, {DataCommands} DATA command(s)).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] connections;
        lock (_connections)
        {
            connections = [_accepting, .. _connections];
        }

        await Task.WhenAll(connections);
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await ConverseAsync(client.GetStream(), _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client hung up or the sink is stopping.
            }
        }
    }

    private async Task ConverseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var reader = new StreamReader(stream, encoding);
        await using var writer = new StreamWriter(stream, encoding) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink.test ESMTP ready");

        string? from = null;
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                case "HELO":
                    await writer.WriteLineAsync("250 sink.test");
                    break;
                case "MAIL":
                    Interlocked.Increment(ref _mailCommands);
                    from = Address(line);
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.1.0 OK");
                    break;
                case "RCPT":
                    Interlocked.Increment(ref _recipientCommands);
                    var recipient = Address(line);
                    if (RejectRecipient(recipient))
                    {
                        await writer.WriteLineAsync("550 5.1.1 no such user");
                    }
                    else
                    {
                        recipients.Add(recipient);
                        await writer.WriteLineAsync("250 2.1.5 OK");
                    }

                    break;
                case "DATA":
                    if (Interlocked.Increment(ref _dataCommands) <= FailDataCommands)
                    {
                        await writer.WriteLineAsync("451 4.3.0 try again");
                        break;
                    }

                    await writer.WriteLineAsync("354 end data with <CR><LF>.<CR><LF>");
                    var data = await ReadDataAsync(reader, cancellationToken);
                    var message = new SmtpSinkMessage(from ?? string.Empty, [.. recipients], data);
                    lock (_all)
                    {
                        _all.Add(message);
                    }

                    // Stored before the reply, so a client that saw 250 finds its message here.
                    _received.Writer.TryWrite(message);
                    await writer.WriteLineAsync("250 2.0.0 queued");
                    break;
                case "RSET":
                    from = null;
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 command not implemented");
                    break;
            }
        }
    }

    private static async Task<string> ReadDataAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line && line != ".")
        {
            // RFC 5321 4.5.2: the client doubled every leading dot.
            data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        return data.ToString();
    }

    private static string Address(string command)
    {
        var start = command.IndexOf('<', StringComparison.Ordinal);
        var end = command.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? command[(start + 1)..end] : command[(command.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
