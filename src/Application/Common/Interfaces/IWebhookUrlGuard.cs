namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Decides whether a webhook may point at a URL: its form, its scheme and where its host name leads.</summary>
public interface IWebhookUrlGuard
{
    /// <summary>Null when the URL is acceptable, else a sentence saying why not.</summary>
    Task<string?> FindProblemAsync(string url, CancellationToken cancellationToken);
}
