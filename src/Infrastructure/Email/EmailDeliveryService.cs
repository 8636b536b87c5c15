using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Email;

/// <summary>
/// Delivers the queued e-mails one at a time through the configured <see cref="IEmailTransport"/>. An e-mail that
/// cannot be delivered is logged (recipient only: the body holds codes and reset links) and dropped, and the loop
/// goes on. On shutdown it keeps delivering what is queued until the queue is empty or the host's shutdown
/// time-out ends.
/// </summary>
internal sealed partial class EmailDeliveryService(
    Channel<EmailMessage> queue,
    IEmailTransport transport,
    ILogger<EmailDeliveryService> logger) : BackgroundService
{
    // Cancelled only when the host's shutdown time-out ends, not when stopping begins, so the queue can drain.
    private readonly CancellationTokenSource _deadline = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _deadline);
        await base.StopAsync(cancellationToken);

        // Drained here rather than at the end of ExecuteAsync: a stop that comes right after the start may cancel
        // ExecuteAsync before it ever runs. The loop has ended unless the deadline passed, so this is the only reader.
        try
        {
            await DeliverQueuedAsync(queue.Reader);
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested)
        {
            // The shutdown time-out ended mid-delivery.
        }

        if (queue.Reader.Count > 0)
        {
            LogUndelivered(logger, queue.Reader.Count);
        }
    }

    public override void Dispose()
    {
        _deadline.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await DeliverQueuedAsync(reader);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync delivers what is left.
        }
    }

    private async Task DeliverQueuedAsync(ChannelReader<EmailMessage> reader)
    {
        while (!_deadline.IsCancellationRequested && reader.TryRead(out var message))
        {
            await DeliverAsync(message, _deadline.Token);
        }
    }

    private async Task DeliverAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, message.To, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The e-mail to {To} could not be delivered and was dropped")]
    private static partial void LogFailed(ILogger logger, string to, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown time-out: {Count} queued e-mail(s) were not delivered")]
    private static partial void LogUndelivered(ILogger logger, int count);
}
