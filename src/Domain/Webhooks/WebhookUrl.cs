using System.Net;
using System.Net.Sockets;

namespace CleanBackend.Domain.Webhooks;

/// <summary>
/// Where a webhook may point. Outside development the service must not be turned against its own network: only
/// https, and no address that is loopback, private, link-local, unique-local, multicast or unspecified.
/// </summary>
public static class WebhookUrl
{
    public const int MaxLength = 2000;

    /// <summary>Checks what can be checked without DNS; null when the URL is acceptable, else why not.</summary>
    /// <param name="url">The URL as given.</param>
    /// <param name="allowHttp">Whether plain http is allowed (development).</param>
    /// <param name="allowPrivateNetworks">Whether loopback and private addresses are allowed (development, tests).</param>
    public static string? FindProblem(string? url, bool allowHttp, bool allowPrivateNetworks)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return $"Must be an absolute URL of at most {MaxLength} characters.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return allowHttp ? "Must be an http or https URL." : "Must be an https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not contain a user name or password.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "Must not contain a fragment (#...).";
        }

        if (allowPrivateNetworks)
        {
            return null;
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "Must not point at this machine (localhost).";
        }

        return IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : host, out var address) && !IsPublic(address)
            ? "Must not point at a loopback, private, link-local, multicast or unspecified address."
            : null;
    }

    /// <summary>
    /// Whether an address is on the public internet: not loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10),
    /// link-local, unique-local, multicast, unspecified, broadcast or reserved. IPv4 mapped into IPv6 is judged as IPv4.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 // "this" network, unspecified
                || b[0] == 10
                || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                || b[0] >= 224); // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6Any)
                || address.Equals(IPAddress.IPv6Loopback)
                || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // unique-local fc00::/7
                || address.IsIPv6Teredo
                || b.Take(12).All(x => x == 0)); // ::/96: unspecified, loopback and IPv4-compatible
        }

        return false;
    }
}
