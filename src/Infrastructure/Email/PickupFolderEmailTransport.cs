using MimeKit;

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
        var name = Guid.NewGuid().ToString("N");
        var partial = Path.Combine(_folder, name + ".tmp");
        try
        {
            using var mail = MimeMessageFactory.Create(message, _from);

            // CRLF as on the wire, whatever the platform.
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            await using var file = File.Create(partial);
            await mail.WriteToAsync(format, file, cancellationToken);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        // Renamed once complete, so whatever watches the folder never reads half a message.
        File.Move(partial, Path.Combine(_folder, name + ".eml"));
        LogWritten(_logger, message.To);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mails are written to {Folder} (no SMTP_HOST set)")]
    private static partial void LogFolder(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {To} written to the pickup folder")]
    private static partial void LogWritten(ILogger logger, string to);
}
