using System.Security.Cryptography;
using System.Text;

namespace CleanBackend.Domain.Accounts;

/// <summary>Codes and tokens are kept only as SHA-256 hashes and compared in constant time.</summary>
public static class SecretHash
{
    public static string Of(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(secret)), Encoding.ASCII.GetBytes(hash));
}
