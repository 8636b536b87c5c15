namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Keeps webhook signing secrets unreadable at rest, yet readable by every instance that signs deliveries.</summary>
public interface IWebhookSecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
