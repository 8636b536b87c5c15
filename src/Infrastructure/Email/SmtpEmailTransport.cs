using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Polly;
using Polly.Retry;

namespace CleanBackend.Infrastructure.Email;

/// <summary>
/// Sends through SMTP_HOST:SMTP_PORT with MailKit: implicit TLS or STARTTLS as <see cref="EmailOptions.Security"/>
/// says, signing in when EMAIL_USER is set. Transient failures (4xx replies, lost connections, time-outs) are
/// retried with jittered exponential backoff up to <see cref="EmailOptions.MaxAttempts"/> tries in all; permanent
/// ones (5xx replies such as an unknown mailbox, rejected credentials, an untrusted certificate) are thrown at once.
/// </summary>
internal sealed partial class SmtpEmailTransport : IEmailTransport
{
    private static readonly ResiliencePropertyKey<string> RecipientKey = new("email.to");

    private readonly EmailOptions _options;
    private readonly ILogger<SmtpEmailTransport> _logger;
    private ResiliencePipeline? _pipeline;

    public SmtpEmailTransport(IOptions<EmailOptions> options, ILogger<SmtpEmailTransport> logger)
    {
        _options = options.Value;
        _logger = logger;
        LogSmtp(logger, _options.SmtpHost!, _options.SmtpPort, _options.Security, !string.IsNullOrEmpty(_options.User));
    }

    /// <summary>The first retry's median delay; it doubles with each retry. Tests make it tiny.</summary>
    internal TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    private ResiliencePipeline Pipeline => _pipeline ??= BuildPipeline();

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(RecipientKey, message.To);
            await Pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Transport.SendOnceAsync(state.Message, ctx.CancellationToken),
                context,
                (Transport: this, Message: message));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        LogSent(_logger, message.To);
    }

    /// <summary>Whether a failure may go away on its own: SMTP 4xx replies and network trouble.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        SmtpCommandException smtp => (int)smtp.StatusCode is >= 400 and < 500,
        // The server hung up or answered garbage mid-conversation.
        SmtpProtocolException => true,
        // An untrusted certificate or no common TLS version: the same next time. It is an IOException, so first.
        SslHandshakeException => false,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    internal static SecureSocketOptions SocketOptions(EmailSecurity security) => security switch
    {
        EmailSecurity.None => SecureSocketOptions.None,
        EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        EmailSecurity.StartTls => SecureSocketOptions.StartTls,
        EmailSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        _ => SecureSocketOptions.Auto,
    };

    private async Task SendOnceAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        // A client per try: a failed one may hold a broken connection, and e-mails are sent one at a time anyway.
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(_options.TimeoutSeconds).TotalMilliseconds };
        if (_options.PinnedThumbprint is { } thumbprint)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, _) => IsPinned(certificate, thumbprint);
        }

        using var mail = MimeMessageFactory.Create(message, _options.From);
        await client.ConnectAsync(_options.SmtpHost!.Trim(), _options.SmtpPort, SocketOptions(_options.Security), cancellationToken);
        if (!string.IsNullOrEmpty(_options.User))
        {
            await client.AuthenticateAsync(_options.User, _options.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(mail, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>Trusts exactly the pinned certificate, whatever its issuer or names say.</summary>
    private static bool IsPinned(X509Certificate? certificate, string thumbprint)
    {
        if (certificate is null)
        {
            return false;
        }

        var algorithm = thumbprint.Length == 40 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        return string.Equals(certificate.GetCertHashString(algorithm), thumbprint, StringComparison.OrdinalIgnoreCase);
    }

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex)),
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = RetryDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                OnRetry = args =>
                {
                    args.Context.Properties.TryGetValue(RecipientKey, out var to);
                    LogRetrying(_logger, to, args.AttemptNumber + 1, _options.MaxAttempts, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mails are sent through {Host}:{Port} (security: {Security}, sign-in: {Authenticates})")]
    private static partial void LogSmtp(ILogger logger, string host, int port, EmailSecurity security, bool authenticates);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {To} sent")]
    private static partial void LogSent(ILogger logger, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the e-mail to {To} failed on try {Attempt} of {MaxAttempts}: {Reason}. Retrying in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string? to, int attempt, int maxAttempts, TimeSpan delay, string? reason);
}
