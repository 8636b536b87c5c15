using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

/// <summary>One message as the sink received it: the envelope, the raw DATA (dot-stuffing removed), and how it came.</summary>
/// <param name="MailFrom">The envelope sender (MAIL FROM).</param>
/// <param name="Recipients">The accepted envelope recipients (RCPT TO).</param>
/// <param name="Data">The message as sent after DATA, with CRLF line ends.</param>
/// <param name="Tls">Whether the conversation was encrypted when DATA was sent.</param>
/// <param name="User">The user name the client signed in with, or null.</param>
public sealed record SmtpSinkMessage(string MailFrom, IReadOnlyList<string> Recipients, string Data, bool Tls, string? User)
{
    public MimePart Mime => MimePart.Parse(Data);
}

/// <summary>How the sink offers TLS.</summary>
public enum SmtpSinkTls
{
    /// <summary>Plain text only.</summary>
    Off,

    /// <summary>Plain text first, STARTTLS offered (RFC 3207).</summary>
    StartTls,

    /// <summary>TLS from the first byte, as on port 465 (RFC 8314).</summary>
    Implicit,
}

/// <summary>
/// A loopback SMTP server that speaks enough ESMTP for MailKit and keeps what it receives: STARTTLS or implicit
/// TLS with a given certificate, AUTH PLAIN and LOGIN against one user, and failures on demand (a transient 451 to
/// the first DATA commands, a permanent 550 to chosen recipients, or no answer at all).
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
    private int _connectionCount;
    private int _mailCommands;
    private int _recipientCommands;
    private int _dataCommands;
    private int _authCommands;

    /// <param name="tls">Whether and how TLS is offered; anything but <see cref="SmtpSinkTls.Off"/> needs a certificate.</param>
    /// <param name="certificate">The server's certificate, with its private key.</param>
    public SmtpSink(SmtpSinkTls tls = SmtpSinkTls.Off, X509Certificate2? certificate = null)
    {
        if (tls != SmtpSinkTls.Off && certificate is null)
        {
            throw new ArgumentException("TLS needs a certificate.", nameof(certificate));
        }

        Tls = tls;
        Certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public SmtpSinkTls Tls { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>When set, AUTH is offered (on an encrypted connection, or always when TLS is off) and MAIL FROM needs it.</summary>
    public (string User, string Password)? Credentials { get; set; }

    /// <summary>Accept connections and never say a word: a server that hangs.</summary>
    public bool Silent { get; set; }

    /// <summary>How many DATA commands, counted from the first, are answered "451 4.3.0 try again".</summary>
    public int FailDataCommands { get; set; }

    /// <summary>Recipients for which RCPT TO is answered "550 5.1.1 no such user".</summary>
    public Func<string, bool> RejectRecipient { get; set; } = _ => false;

    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>MAIL FROM commands seen, i.e. how many times a client tried to send.</summary>
    public int MailCommands => Volatile.Read(ref _mailCommands);

    public int RecipientCommands => Volatile.Read(ref _recipientCommands);

    public int DataCommands => Volatile.Read(ref _dataCommands);

    public int AuthCommands => Volatile.Read(ref _authCommands);

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

    /// <summary>A self-signed certificate for "localhost" and 127.0.0.1, made fresh, with its private key.</summary>
    public static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
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

            Interlocked.Increment(ref _connectionCount);
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
                if (Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                Stream stream = client.GetStream();
                if (Tls == SmtpSinkTls.Implicit)
                {
                    stream = await EncryptAsync(stream, _stop.Token);
                }

                await using (stream)
                {
                    await ConverseAsync(stream, Tls == SmtpSinkTls.Implicit, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                or System.Security.Authentication.AuthenticationException)
            {
                // The client hung up, refused the certificate, or the sink is stopping.
            }
        }
    }

    private async Task<SslStream> EncryptAsync(Stream stream, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, cancellationToken);
        return ssl;
    }

    private async Task ConverseAsync(Stream stream, bool encrypted, CancellationToken cancellationToken)
    {
        var session = new Session(stream, encrypted);
        await session.WriteAsync("220 sink.test ESMTP ready");
        while (await session.Reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await session.WriteAsync(Capabilities(session).ToArray());
                    break;
                case "HELO":
                    await session.WriteAsync("250 sink.test");
                    break;
                case "STARTTLS" when Tls == SmtpSinkTls.StartTls && !session.Encrypted:
                    await session.WriteAsync("220 2.0.0 ready to start TLS");

                    // RFC 3207 4.2: everything known before the handshake is forgotten, the client says EHLO again.
                    session = new Session(await EncryptAsync(stream, cancellationToken), encrypted: true);
                    break;
                case "AUTH" when OffersAuth(session):
                    Interlocked.Increment(ref _authCommands);
                    session.User = await AuthenticateAsync(session, line, cancellationToken);
                    await session.WriteAsync(session.User is null ? "535 5.7.8 authentication credentials invalid" : "235 2.7.0 authenticated");
                    break;
                case "MAIL" when Credentials is not null && session.User is null:
                    Interlocked.Increment(ref _mailCommands);
                    await session.WriteAsync("530 5.7.0 authentication required");
                    break;
                case "MAIL":
                    Interlocked.Increment(ref _mailCommands);
                    session.From = Address(line);
                    session.Recipients.Clear();
                    await session.WriteAsync("250 2.1.0 OK");
                    break;
                case "RCPT":
                    Interlocked.Increment(ref _recipientCommands);
                    var recipient = Address(line);
                    if (RejectRecipient(recipient))
                    {
                        await session.WriteAsync("550 5.1.1 no such user");
                    }
                    else
                    {
                        session.Recipients.Add(recipient);
                        await session.WriteAsync("250 2.1.5 OK");
                    }

                    break;
                case "DATA":
                    if (Interlocked.Increment(ref _dataCommands) <= FailDataCommands)
                    {
                        await session.WriteAsync("451 4.3.0 try again");
                        break;
                    }

                    await session.WriteAsync("354 end data with <CR><LF>.<CR><LF>");
                    var data = await ReadDataAsync(session.Reader, cancellationToken);
                    var message = new SmtpSinkMessage(session.From ?? string.Empty, [.. session.Recipients], data, session.Encrypted, session.User);
                    lock (_all)
                    {
                        _all.Add(message);
                    }

                    // Stored before the reply, so a client that saw 250 finds its message here.
                    _received.Writer.TryWrite(message);
                    await session.WriteAsync("250 2.0.0 queued");
                    break;
                case "RSET":
                    session.From = null;
                    session.Recipients.Clear();
                    await session.WriteAsync("250 2.0.0 OK");
                    break;
                case "NOOP":
                    await session.WriteAsync("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await session.WriteAsync("221 2.0.0 bye");
                    return;
                default:
                    await session.WriteAsync("502 5.5.2 command not implemented");
                    break;
            }
        }
    }

    private IEnumerable<string> Capabilities(Session session)
    {
        var extensions = new List<string>();
        if (Tls == SmtpSinkTls.StartTls && !session.Encrypted)
        {
            extensions.Add("STARTTLS");
        }

        if (OffersAuth(session))
        {
            extensions.Add("AUTH PLAIN LOGIN");
        }

        // Multi-line reply: "250-" on every line but the last.
        string[] lines = ["sink.test", .. extensions];
        return lines.Select((text, i) => (i == lines.Length - 1 ? "250 " : "250-") + text);
    }

    // Like real servers, no password over plain text when TLS is to be had.
    private bool OffersAuth(Session session) => Credentials is not null && (session.Encrypted || Tls == SmtpSinkTls.Off);

    /// <summary>AUTH PLAIN (with or without an initial response) or AUTH LOGIN; the user name when the password matches.</summary>
    private async Task<string?> AuthenticateAsync(Session session, string line, CancellationToken cancellationToken)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
        string user;
        string password;
        if (mechanism == "PLAIN")
        {
            var response = parts.Length > 2 ? parts[2] : await ChallengeAsync(session, string.Empty, cancellationToken);
            var fields = Decode(response).Split('\0');
            if (fields.Length != 3)
            {
                return null;
            }

            (user, password) = (fields[1], fields[2]);
        }
        else if (mechanism == "LOGIN")
        {
            user = Decode(parts.Length > 2 ? parts[2] : await ChallengeAsync(session, "Username:", cancellationToken));
            password = Decode(await ChallengeAsync(session, "Password:", cancellationToken));
        }
        else
        {
            return null;
        }

        return Credentials is { } expected && user == expected.User && password == expected.Password ? user : null;
    }

    private static async Task<string> ChallengeAsync(Session session, string prompt, CancellationToken cancellationToken)
    {
        await session.WriteAsync("334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(prompt)));
        return await session.Reader.ReadLineAsync(cancellationToken) ?? string.Empty;
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return string.Empty;
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

    /// <summary>One conversation's state over one stream (a STARTTLS handshake starts a new one).</summary>
    private sealed class Session(Stream stream, bool encrypted)
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

        // Unbuffered writes and a reader that owns nothing, so the stream can be handed to TLS mid-conversation.
        public StreamReader Reader { get; } = new(stream, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);

        public bool Encrypted { get; } = encrypted;

        public string? User { get; set; }

        public string? From { get; set; }

        public List<string> Recipients { get; } = [];

        public async Task WriteAsync(params string[] lines)
        {
            var bytes = Utf8.GetBytes(string.Concat(lines.Select(l => l + "\r\n")));
            await stream.WriteAsync(bytes);
            await stream.FlushAsync();
        }
    }
}
