using System.Security.Cryptography;
using System.Text;

namespace CleanBackend.WebApi.FunctionalTests.Support;

// The README's C# verification, word for word, so the documented code is run against real deliveries.
public static class WebhookSignatureVerifier
{
    public static bool IsValid(string secret, string signatureHeader, string rawBody, DateTimeOffset now)
    {
        // Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
        var parts = signatureHeader.Split(',')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, out var timestamp))
        {
            return false;
        }

        // Refuse replays: the timestamp must be within 5 minutes of now.
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{rawBody}"));
        var given = Encoding.ASCII.GetBytes(v1.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(expected)), given);
    }
}
