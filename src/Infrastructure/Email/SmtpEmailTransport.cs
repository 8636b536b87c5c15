using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CleanBackend.Infrastructure.Email;

/// <summary>
/// Sends through SMTP_HOST:SMTP_PORT. Transient failures (4xx replies, lost connections, time-outs) are retried
/// with jittered exponential backoff up to <see cref="EmailOptions.MaxAttempts"/> tries in all; permanent ones
/// (5xx replies such as an unknown mailbox) are thrown at once.
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
        LogSmtp(logger, _options.SmtpHost!, _options.SmtpPort, _options.UseSsl);
    }

    /// <summary>The first retry's median delay; it doubles with each retry. Tests make it tiny.</summary>
    internal TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest one try may take (SmtpClient's own time-out does not apply to SendMailAsync).</summary>
    internal TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

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
        SmtpException { StatusCode: SmtpStatusCode.GeneralFailure } smtp => smtp.InnerException is { } inner && IsTransient(inner),
        SmtpException smtp => (int)smtp.StatusCode is >= 400 and < 500,
        IOException or SocketException or TimeoutException or TimeoutRejectedException => true,
        _ => false,
    };

    private async Task SendOnceAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        // A client per try: SmtpClient is not thread-safe and a failed one may hold a broken connection.
        using var client = new SmtpClient(_options.SmtpHost!.Trim(), _options.SmtpPort)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = _options.UseSsl,
            Credentials = string.IsNullOrEmpty(_options.User) ? null : new NetworkCredential(_options.User, _options.Password),
        };
        using var mail = MailMessageFactory.Create(message, _options.From);
        await client.SendMailAsync(mail, cancellationToken);
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

        return builder.AddTimeout(AttemptTimeout).Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mails are sent through {Host}:{Port} (STARTTLS: {Ssl})")]
    private static partial void LogSmtp(ILogger logger, string host, int port, bool ssl);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {To} sent")]
    private static partial void LogSent(ILogger logger, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the e-mail to {To} failed on try {Attempt} of {MaxAttempts}: {Reason}. Retrying in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string? to, int attempt, int maxAttempts, TimeSpan delay, string? reason);
}
