using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Infrastructure.Email;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

public sealed class SmtpEmailTransportTests : IAsyncLifetime
{
    private const string Code = "482913";

    private static readonly EmailMessage Message = new(
        "ada@example.com",
        "Your CleanBackend verification code",
        $"Hi Zoë,\n\nYour code is {Code}.\n.a line that starts with a dot\n",
        $"<p>Hi Zoë,</p><p>Your code is <strong>{Code}</strong>.</p>");

    // One key pair for the class: making one takes a moment.
    private static readonly Lazy<X509Certificate2> ServerCertificate = new(SmtpSink.CreateCertificate);

    private readonly List<SmtpSink> _sinks = [];

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public async Task DisposeAsync()
    {
        foreach (var sink in _sinks)
        {
            await sink.DisposeAsync();
        }
    }

    [Fact]
    public async Task Send_DeliversHeadersTextAndHtmlAlternativeInQuotedPrintableUtf8()
    {
        var sink = Sink();

        await Transport(sink).SendAsync(Message, CancellationToken.None);

        var received = await sink.NextMessageAsync();
        received.MailFrom.ShouldBe("no-reply@cleanbackend.local");
        received.Recipients.ShouldBe(["ada@example.com"]);
        received.Tls.ShouldBeFalse();
        received.User.ShouldBeNull();

        var mime = received.Mime;
        mime.Header("To").ShouldBe("ada@example.com");
        mime.Header("From").ShouldBe("CleanBackend <no-reply@cleanbackend.local>");
        mime.Header("Subject").ShouldBe("Your CleanBackend verification code");
        mime.Header("MIME-Version").ShouldBe("1.0");
        mime.Header("Date").ShouldNotBeNull().ShouldMatch(@"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$");
        mime.Header("Message-Id").ShouldNotBeNull().ShouldMatch("^<[^<>@\\s]+@[^<>@\\s]+>$");
        mime.MediaType.ShouldBe("multipart/alternative");
        mime.Parts.Select(p => p.MediaType).ShouldBe(["text/plain", "text/html"]);

        var text = mime.Parts[0];
        text.TransferEncoding.ShouldBe("quoted-printable");
        text.Header("Content-Type").ShouldBe("text/plain; charset=utf-8");
        text.DecodedBody.ShouldBe($"Hi Zoë,\r\n\r\nYour code is {Code}.\r\n.a line that starts with a dot\r\n");

        var html = mime.Parts[1];
        html.TransferEncoding.ShouldBe("quoted-printable");
        html.Header("Content-Type").ShouldBe("text/html; charset=utf-8");
        html.DecodedBody.ShouldBe($"<p>Hi Zoë,</p><p>Your code is <strong>{Code}</strong>.</p>");
    }

    [Fact]
    public async Task Send_RenderedPasswordReset_KeepsItsLongLinkWholeInBothParts()
    {
        const string link = "https://app.example.com/reset-password?token=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8tX34.&email=ada%40example.com";
        var sink = Sink();
        var email = new EmailTemplates().Render(EmailTemplateNames.PasswordReset, "ada@example.com", new Dictionary<string, string>
        {
            ["name"] = "Ada Lovelace",
            ["link"] = link,
            ["minutes"] = "60",
        });

        await Transport(sink).SendAsync(email, CancellationToken.None);

        var mime = (await sink.NextMessageAsync()).Mime;
        mime.Header("Subject").ShouldBe("Reset your CleanBackend password");

        // Encoded lines stay within 76 characters, the long link among them, and decode to the link unbroken.
        mime.Parts.ShouldAllBe(p => p.Body.Split("\r\n", StringSplitOptions.None).All(l => l.Length <= 76));
        var text = mime.Find("text/plain").ShouldNotBeNull().DecodedBody;
        text.ShouldContain("Hi Ada Lovelace,");
        text.Split("\r\n").ShouldContain(link);
        var html = mime.Find("text/html").ShouldNotBeNull().DecodedBody;
        html.ShouldContain($"<a href=\"{WebUtility.HtmlEncode(link)}\" style=");
        html.ShouldContain($">{WebUtility.HtmlEncode(link)}</a>");
    }

    [Fact]
    public async Task Send_WhenServerAnswers451Twice_DeliversOnTheThirdTry()
    {
        var sink = Sink();
        sink.FailDataCommands = 2;

        await Transport(sink).SendAsync(Message, CancellationToken.None);

        var received = await sink.NextMessageAsync();
        received.Mime.Find("text/plain")!.DecodedBody.ShouldContain(Code);
        sink.DataCommands.ShouldBe(3);
        sink.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Send_WhenEveryTryIsAnswered451_ThrowsAfterMaxAttempts()
    {
        var sink = Sink();
        sink.FailDataCommands = int.MaxValue;

        var ex = await Should.ThrowAsync<SmtpCommandException>(() => Transport(sink, maxAttempts: 3).SendAsync(Message, CancellationToken.None));

        ex.StatusCode.ShouldBe(SmtpStatusCode.ErrorInProcessing);
        sink.DataCommands.ShouldBe(3);
        sink.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Send_WhenServerAnswers550_ThrowsWithoutRetrying()
    {
        var sink = Sink();
        sink.RejectRecipient = _ => true;

        var ex = await Should.ThrowAsync<SmtpCommandException>(() => Transport(sink).SendAsync(Message, CancellationToken.None));

        ex.StatusCode.ShouldBe(SmtpStatusCode.MailboxUnavailable);
        ex.ErrorCode.ShouldBe(SmtpErrorCode.RecipientNotAccepted);
        ex.Mailbox!.Address.ShouldBe("ada@example.com");
        sink.MailCommands.ShouldBe(1);
        sink.RecipientCommands.ShouldBe(1);
        sink.DataCommands.ShouldBe(0);
    }

    [Fact]
    public async Task Send_WithMaxAttemptsOne_DoesNotRetryATransientFailure()
    {
        var sink = Sink();
        sink.FailDataCommands = 1;

        await Should.ThrowAsync<SmtpCommandException>(() => Transport(sink, maxAttempts: 1).SendAsync(Message, CancellationToken.None));

        sink.DataCommands.ShouldBe(1);
    }

    [Theory]
    [InlineData(SmtpSinkTls.StartTls, EmailSecurity.Auto, true)]
    [InlineData(SmtpSinkTls.StartTls, EmailSecurity.StartTls, true)]
    [InlineData(SmtpSinkTls.StartTls, EmailSecurity.StartTlsWhenAvailable, true)]
    [InlineData(SmtpSinkTls.StartTls, EmailSecurity.None, false)]
    [InlineData(SmtpSinkTls.Off, EmailSecurity.Auto, false)]
    [InlineData(SmtpSinkTls.Off, EmailSecurity.StartTlsWhenAvailable, false)]
    [InlineData(SmtpSinkTls.Implicit, EmailSecurity.SslOnConnect, true)]
    public async Task Send_UsesTlsAsTheSecuritySettingAndTheServerAllow(SmtpSinkTls offered, EmailSecurity security, bool encrypted)
    {
        var sink = Sink(offered);

        await Transport(sink, security: security, thumbprint: Sha256(ServerCertificate.Value)).SendAsync(Message, CancellationToken.None);

        var received = await sink.NextMessageAsync();
        received.Tls.ShouldBe(encrypted);
        received.Mime.Find("text/plain")!.DecodedBody.ShouldContain(Code);
        sink.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task Send_StartTlsWhenTheServerDoesNotOfferIt_FailsWithoutSendingOrRetrying()
    {
        var sink = Sink(SmtpSinkTls.Off);

        await Should.ThrowAsync<NotSupportedException>(() => Transport(sink, security: EmailSecurity.StartTls).SendAsync(Message, CancellationToken.None));

        sink.Connections.ShouldBe(1);
        sink.MailCommands.ShouldBe(0);
    }

    [Fact]
    public async Task Send_ImplicitTlsPinnedBySha1WithColons_IsDelivered()
    {
        var sink = Sink(SmtpSinkTls.Implicit);
        var sha1 = string.Join(':', Convert.ToHexString(SHA1.HashData(ServerCertificate.Value.RawData)).Chunk(2).Select(c => new string(c)));

        await Transport(sink, security: EmailSecurity.SslOnConnect, thumbprint: sha1.ToLowerInvariant()).SendAsync(Message, CancellationToken.None);

        (await sink.NextMessageAsync()).Tls.ShouldBeTrue();
    }

    [Fact]
    public async Task Send_SelfSignedCertificateWithoutAPin_IsRefusedWithoutRetrying()
    {
        var sink = Sink(SmtpSinkTls.StartTls);

        var ex = await Should.ThrowAsync<SslHandshakeException>(() => Transport(sink, security: EmailSecurity.StartTls).SendAsync(Message, CancellationToken.None));

        SmtpEmailTransport.IsTransient(ex).ShouldBeFalse();
        sink.Connections.ShouldBe(1);
        sink.MailCommands.ShouldBe(0);
    }

    [Fact]
    public async Task Send_CertificateOtherThanThePinnedOne_IsRefused()
    {
        var sink = Sink(SmtpSinkTls.Implicit);
        using var other = SmtpSink.CreateCertificate();

        await Should.ThrowAsync<SslHandshakeException>(() =>
            Transport(sink, security: EmailSecurity.SslOnConnect, thumbprint: Sha256(other)).SendAsync(Message, CancellationToken.None));

        sink.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Send_WithUserAndPassword_SignsInAfterStartTls()
    {
        var sink = Sink(SmtpSinkTls.StartTls);
        sink.Credentials = ("mailer", "s3cret pass");

        await Transport(sink, thumbprint: Sha256(ServerCertificate.Value), user: "mailer", password: "s3cret pass").SendAsync(Message, CancellationToken.None);

        var received = await sink.NextMessageAsync();
        received.Tls.ShouldBeTrue();
        received.User.ShouldBe("mailer");
        sink.AuthCommands.ShouldBe(1);
    }

    [Fact]
    public async Task Send_WithAWrongPassword_FailsWithoutRetrying()
    {
        var sink = Sink();
        sink.Credentials = ("mailer", "s3cret pass");

        await Should.ThrowAsync<AuthenticationException>(() => Transport(sink, user: "mailer", password: "wrong").SendAsync(Message, CancellationToken.None));

        // One connection: each offered mechanism is tried once, and the whole is not retried.
        sink.Connections.ShouldBe(1);
        sink.MailCommands.ShouldBe(0);
    }

    [Fact]
    public async Task Send_WithoutCredentialsToAServerThatWantsThem_FailsOn530WithoutRetrying()
    {
        var sink = Sink();
        sink.Credentials = ("mailer", "s3cret pass");

        var ex = await Should.ThrowAsync<MailKit.ServiceNotAuthenticatedException>(() => Transport(sink).SendAsync(Message, CancellationToken.None));

        SmtpEmailTransport.IsTransient(ex).ShouldBeFalse();
        sink.Connections.ShouldBe(1);
        sink.MailCommands.ShouldBe(1);
        sink.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Send_ToAServerThatNeverAnswers_TimesOutEachTryAndRetries()
    {
        var sink = Sink();
        sink.Silent = true;
        var watch = Stopwatch.StartNew();

        var ex = await Should.ThrowAsync<Exception>(() => Transport(sink, maxAttempts: 2, timeoutSeconds: 1).SendAsync(Message, CancellationToken.None));

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        SmtpEmailTransport.IsTransient(ex).ShouldBeTrue($"{ex.GetType()}: {ex.Message}");
        sink.Connections.ShouldBe(2);
    }

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.ServiceNotAvailable, "421"), true },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "450"), true },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ErrorInProcessing, "451"), true },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.InsufficientStorage, "452"), true },
        { new SmtpProtocolException("The SMTP server has unexpectedly disconnected."), true },
        { new IOException("connection reset"), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new SocketException((int)SocketError.TimedOut), true },
        { new TimeoutException(), true },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "550"), false },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "554"), false },
        { new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.AuthenticationRequired, "530"), false },
        { new AuthenticationException("535 5.7.8 authentication credentials invalid"), false },
        { new SslHandshakeException("untrusted certificate"), false },
        { new NotSupportedException("The SMTP server does not support the STARTTLS extension."), false },
        { new FormatException("not an address"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsTransient_RetriesOnly4xxRepliesAndNetworkFailures(Exception failure, bool transient)
    {
        SmtpEmailTransport.IsTransient(failure).ShouldBe(transient);
    }

    [Theory]
    [InlineData(EmailSecurity.Auto, SecureSocketOptions.Auto)]
    [InlineData(EmailSecurity.None, SecureSocketOptions.None)]
    [InlineData(EmailSecurity.SslOnConnect, SecureSocketOptions.SslOnConnect)]
    [InlineData(EmailSecurity.StartTls, SecureSocketOptions.StartTls)]
    [InlineData(EmailSecurity.StartTlsWhenAvailable, SecureSocketOptions.StartTlsWhenAvailable)]
    public void SocketOptions_AreMailKitsOfTheSameName(EmailSecurity security, SecureSocketOptions expected)
    {
        SmtpEmailTransport.SocketOptions(security).ShouldBe(expected);
    }

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private SmtpSink Sink(SmtpSinkTls tls = SmtpSinkTls.Off)
    {
        var sink = new SmtpSink(tls, tls == SmtpSinkTls.Off ? null : ServerCertificate.Value);
        _sinks.Add(sink);
        return sink;
    }

    private static SmtpEmailTransport Transport(
        SmtpSink sink,
        int maxAttempts = 4,
        EmailSecurity security = EmailSecurity.Auto,
        string? thumbprint = null,
        string? user = null,
        string? password = null,
        int timeoutSeconds = 10) => new(
        Options.Create(new EmailOptions
        {
            SmtpHost = "127.0.0.1",
            SmtpPort = sink.Port,
            Security = security,
            CertificateThumbprint = thumbprint,
            User = user,
            Password = password,
            TimeoutSeconds = timeoutSeconds,
            MaxAttempts = maxAttempts,
        }),
        NullLogger<SmtpEmailTransport>.Instance)
    {
        RetryDelay = TimeSpan.FromMilliseconds(1),
    };
}
