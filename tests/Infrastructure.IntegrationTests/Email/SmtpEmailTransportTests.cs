using System.Net.Mail;
using System.Net.Sockets;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Infrastructure.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

public sealed class SmtpEmailTransportTests : IAsyncLifetime
{
    private const string Code = "482913";

    private static readonly EmailMessage Message = new(
        "ada@example.com",
        "Your CleanBackend verification code",
        $"Hi Zoë,\n\nYour code is {Code}.\n.a line that starts with a dot\n",
        $"<p>Hi Zoë,</p><p>Your code is <strong>{Code}</strong>.</p>");

    private readonly SmtpSink _sink = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task Send_DeliversTheTextBodyAndAnHtmlAlternativeInQuotedPrintableUtf8()
    {
        await Transport().SendAsync(Message, CancellationToken.None);

        var received = await _sink.NextMessageAsync();
        received.MailFrom.ShouldBe("no-reply@cleanbackend.local");
        received.Recipients.ShouldBe(["ada@example.com"]);

        var mime = received.Mime;
        mime.Header("To").ShouldBe("ada@example.com");
        mime.Header("From")!.ShouldContain("CleanBackend");
        mime.Header("From")!.ShouldContain("<no-reply@cleanbackend.local>");
        mime.Header("Subject").ShouldBe("Your CleanBackend verification code");
        mime.MediaType.ShouldBe("multipart/alternative");

        var text = mime.Find("text/plain").ShouldNotBeNull();
        text.TransferEncoding.ShouldBe("quoted-printable");
        text.Header("Content-Type")!.ToLowerInvariant().ShouldContain("charset=utf-8");
        text.DecodedBody.ShouldContain($"Your code is {Code}.");
        text.DecodedBody.ShouldContain("Hi Zoë,");
        text.DecodedBody.ShouldContain("\r\n.a line that starts with a dot");

        var html = mime.Find("text/html").ShouldNotBeNull();
        html.TransferEncoding.ShouldBe("quoted-printable");
        html.DecodedBody.ShouldContain($"<strong>{Code}</strong>");
        html.DecodedBody.ShouldContain("Hi Zoë,");
    }

    [Fact]
    public async Task Send_WhenServerAnswers451Twice_DeliversOnTheThirdTry()
    {
        _sink.FailDataCommands = 2;

        await Transport().SendAsync(Message, CancellationToken.None);

        var received = await _sink.NextMessageAsync();
        received.Mime.Find("text/plain")!.DecodedBody.ShouldContain(Code);
        _sink.DataCommands.ShouldBe(3);
        _sink.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Send_WhenEveryTryIsAnswered451_ThrowsAfterMaxAttempts()
    {
        _sink.FailDataCommands = int.MaxValue;

        var ex = await Should.ThrowAsync<SmtpException>(() => Transport(maxAttempts: 3).SendAsync(Message, CancellationToken.None));

        ex.StatusCode.ShouldBe(SmtpStatusCode.LocalErrorInProcessing);
        _sink.DataCommands.ShouldBe(3);
        _sink.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Send_WhenServerAnswers550_ThrowsWithoutRetrying()
    {
        _sink.RejectRecipient = _ => true;

        var ex = await Should.ThrowAsync<SmtpFailedRecipientException>(() => Transport().SendAsync(Message, CancellationToken.None));

        ex.StatusCode.ShouldBe(SmtpStatusCode.MailboxUnavailable);
        _sink.MailCommands.ShouldBe(1);
        _sink.RecipientCommands.ShouldBe(1);
        _sink.DataCommands.ShouldBe(0);
    }

    [Fact]
    public async Task Send_WithMaxAttemptsOne_DoesNotRetryATransientFailure()
    {
        _sink.FailDataCommands = 1;

        await Should.ThrowAsync<SmtpException>(() => Transport(maxAttempts: 1).SendAsync(Message, CancellationToken.None));

        _sink.DataCommands.ShouldBe(1);
    }

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new SmtpException(SmtpStatusCode.ServiceNotAvailable), true },
        { new SmtpException(SmtpStatusCode.MailboxBusy), true },
        { new SmtpException(SmtpStatusCode.LocalErrorInProcessing), true },
        { new SmtpException(SmtpStatusCode.InsufficientStorage), true },
        { new SmtpFailedRecipientException(SmtpStatusCode.MailboxBusy, "ada@example.com"), true },
        { new SmtpException("Failure sending mail.", new IOException("Unable to read data from the transport connection.")), true },
        { new SmtpException("Failure sending mail.", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new IOException("connection reset"), true },
        { new SocketException((int)SocketError.TimedOut), true },
        { new TimeoutException(), true },
        { new TimeoutRejectedException(), true },
        { new SmtpException(SmtpStatusCode.MailboxUnavailable), false },
        { new SmtpFailedRecipientException(SmtpStatusCode.MailboxUnavailable, "ada@example.com"), false },
        { new SmtpException(SmtpStatusCode.TransactionFailed), false },
        { new SmtpException(SmtpStatusCode.MustIssueStartTlsFirst), false },
        { new SmtpException("Failure sending mail."), false },
        { new FormatException("not an address"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsTransient_RetriesOnly4xxRepliesAndNetworkFailures(Exception failure, bool transient)
    {
        SmtpEmailTransport.IsTransient(failure).ShouldBe(transient);
    }

    private SmtpEmailTransport Transport(int maxAttempts = 4) => new(
        Options.Create(new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = _sink.Port, EnableSsl = false, MaxAttempts = maxAttempts }),
        NullLogger<SmtpEmailTransport>.Instance)
    {
        RetryDelay = TimeSpan.FromMilliseconds(1),
    };
}
