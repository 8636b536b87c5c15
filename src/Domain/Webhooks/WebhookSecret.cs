using System.Buffers.Text;
using System.Security.Cryptography;

namespace CleanBackend.Domain.Webhooks;

/// <summary>A webhook's signing secret: <c>whsec_</c> and 256 random bits, shown to its owner only when it is made.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int RandomBytes = 32;

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
}
