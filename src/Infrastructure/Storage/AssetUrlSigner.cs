using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CleanBackend.Application.Common.Options;
using CleanBackend.Infrastructure.Configuration;
using CleanBackend.Infrastructure.Identity;
using Microsoft.IdentityModel.Tokens;

namespace CleanBackend.Infrastructure.Storage;

/// <summary>
/// Signs asset URLs with HMAC-SHA256 over the storage key and the expiry. The key is derived from the JWT signing
/// key, so there is no second secret to manage and rotating JWT_SECRET voids every outstanding link too.
/// </summary>
public sealed class AssetUrlSigner : IAssetUrlSigner
{
    private readonly byte[] _key;
    private readonly string _baseUrl;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public AssetUrlSigner(JwtSigningKey signingKey, IOptions<AppOptions> app, IOptions<StorageOptions> storage, TimeProvider clock)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey.Key.Key, 32, info: "asset-urls"u8.ToArray());
        _baseUrl = app.Value.ApiUrl.TrimEnd('/');
        _lifetime = Duration.Parse(storage.Value.SignedUrlLifetime, "Storage:SignedUrlLifetime");
        _clock = clock;
    }

    public string UrlFor(string storageKey)
    {
        var expires = (_clock.GetUtcNow() + _lifetime).ToUnixTimeSeconds();
        var path = string.Join('/', storageKey.Split('/').Select(Uri.EscapeDataString));
        return string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}/assets/{path}?exp={expires}&sig={Sign(storageKey, expires)}");
    }

    public SignatureCheck Check(string storageKey, long expires, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || !FixedTimeEquals(Sign(storageKey, expires), signature))
        {
            return SignatureCheck.Invalid;
        }

        return _clock.GetUtcNow().ToUnixTimeSeconds() > expires ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    private string Sign(string storageKey, long expires) =>
        Base64UrlEncoder.Encode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{storageKey}\n{expires}"))));

    private static bool FixedTimeEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
}
