namespace CleanBackend.Infrastructure.Email;

/// <summary>Hands one e-mail to its destination; called only by <see cref="EmailDeliveryService"/>, one e-mail at a time.</summary>
internal interface IEmailTransport
{
    /// <summary>Throws when the e-mail could not be delivered (after any retries of its own).</summary>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
