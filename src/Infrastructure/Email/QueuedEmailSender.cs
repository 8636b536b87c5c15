using System.Threading.Channels;

namespace CleanBackend.Infrastructure.Email;

/// <summary>
/// Queues e-mails for <see cref="EmailDeliveryService"/> so a request never waits on a mail server. When the queue
/// is full the caller waits (asynchronously) for room rather than an e-mail being lost.
/// </summary>
internal sealed class QueuedEmailSender(Channel<EmailMessage> queue) : IEmailSender
{
    public const int Capacity = 1000;

    public static Channel<EmailMessage> CreateQueue() =>
        Channel.CreateBounded<EmailMessage>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await queue.Writer.WriteAsync(message, cancellationToken);
    }
}
