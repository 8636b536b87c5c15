using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CleanBackend.Domain.Webhooks;

/// <summary>
/// How a delivery is signed: <c>v1</c> is the hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of
/// <c>{t}.{raw body}</c>, where <c>t</c> is the attempt's time in unix seconds; the header is <c>t=..,v1=..</c>.
/// </summary>
public static class WebhookSignature
{
    public const string Version = "v1";

    public static string Compute(string secret, long timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public static string Header(string secret, long timestamp, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},{Version}={Compute(secret, timestamp, body)}");
}
