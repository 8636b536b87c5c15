using Microsoft.AspNetCore.DataProtection;

namespace CleanBackend.Infrastructure.Webhooks;

/// <summary>Webhook secrets under ASP.NET Core Data Protection, whose key ring every instance shares.</summary>
internal sealed class WebhookSecretProtector(IDataProtectionProvider provider) : IWebhookSecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("CleanBackend.Webhooks.SigningSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
