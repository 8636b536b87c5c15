using System.Net;
using System.Net.Sockets;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Infrastructure.Webhooks;

/// <summary>
/// The HTTP client of deliveries: no redirects, no cookies, no proxy, and, unless private networks are allowed, a
/// connection only to a public address of the host as it resolves at connect time, so a name that resolved to a
/// public address when the webhook was made cannot be turned to the service's own network later.
/// </summary>
internal sealed class WebhookHttp : IDisposable
{
    public const string UserAgent = "CleanBackend-Webhooks/1.0";

    public WebhookHttp(IOptions<WebhookOptions> options)
    {
        var allowPrivate = options.Value.AllowPrivateNetworks == true;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Value.AttemptTimeout,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        };
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public HttpClient Client { get; }

    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!allowPrivate)
        {
            addresses = [.. addresses.Where(WebhookUrl.IsPublic)];
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"Refused: {host} has no public address (loopback, private and link-local addresses are not allowed).");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => Client.Dispose();
}
