using System.Net;
using System.Net.Sockets;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Infrastructure.Webhooks;

/// <summary>
/// The URL rules of the domain, and, where private networks are refused, the addresses a host name resolves to now.
/// A name may resolve elsewhere later (DNS rebinding): <see cref="WebhookHttp"/> checks again on every connection.
/// </summary>
internal sealed class WebhookUrlGuard(IOptions<WebhookOptions> options) : IWebhookUrlGuard
{
    public async Task<string?> FindProblemAsync(string url, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var allowPrivate = settings.AllowPrivateNetworks == true;
        if (WebhookUrl.FindProblem(url, settings.AllowHttp == true, allowPrivate) is { } problem)
        {
            return problem;
        }

        var uri = new Uri(url.Trim());
        if (allowPrivate || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host name '{uri.Host}' could not be resolved.";
        }

        return addresses.Length == 0 ? $"The host name '{uri.Host}' could not be resolved."
            : addresses.All(WebhookUrl.IsPublic) ? null
            : $"The host name '{uri.Host}' resolves to a loopback, private, link-local, multicast or unspecified address.";
    }
}
