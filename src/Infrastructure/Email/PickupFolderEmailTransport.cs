using System.Net.Mail;

namespace CleanBackend.Infrastructure.Email;

/// <summary>
/// Used when no SMTP_HOST is set: each e-mail becomes an .eml file in the pickup folder, so development and
/// tests need no mail server and the messages can be opened in any mail client.
/// </summary>
internal sealed partial class PickupFolderEmailTransport : IEmailTransport
{
    private readonly string _folder;
    private readonly string _from;
    private readonly ILogger<PickupFolderEmailTransport> _logger;

    public PickupFolderEmailTransport(IOptions<EmailOptions> options, ILogger<PickupFolderEmailTransport> logger)
    {
        // SmtpClient insists on an absolute pickup path.
        _folder = Path.GetFullPath(options.Value.PickupDirectory);
        _from = options.Value.From;
        _logger = logger;
        Directory.CreateDirectory(_folder);
        LogFolder(logger, _folder);
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Recreated if it was deleted while the service runs.
        Directory.CreateDirectory(_folder);
        using var client = new SmtpClient
        {
            DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
            PickupDirectoryLocation = _folder,
        };
        using var mail = MailMessageFactory.Create(message, _from);
        await client.SendMailAsync(mail, cancellationToken);
        LogWritten(_logger, message.To);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mails are written to {Folder} (no SMTP_HOST set)")]
    private static partial void LogFolder(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {To} written to the pickup folder")]
    private static partial void LogWritten(ILogger logger, string to);
}
