namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Sends e-mail. Implementations deliver in the background so a request never waits on a mail server.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody);
