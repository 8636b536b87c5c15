using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CleanBackend.Application.Common.Options;
using CleanBackend.Infrastructure.Configuration;
using CleanBackend.Infrastructure.Identity;

namespace CleanBackend.Infrastructure.Storage;

/// <summary>
/// Signs asset URLs with HMAC-SHA256 over the storage key and the expiry. The key is derived from the JWT signing
/// key, so there is no second secret to manage and rotating JWT_SECRET voids every outstanding link too.
/// </summary>
public sealed class AssetUrlSigner : IAssetUrlSigner
{
    private readonly byte[] _key;

    // A list of jobs signs a hundred links: one HMAC per thread, reused, costs a quarter of a fresh one each time.
    private readonly ThreadLocal<IncrementalHash> _hmac;
    private readonly string _baseUrl;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public AssetUrlSigner(JwtSigningKey signingKey, IOptions<AppOptions> app, IOptions<StorageOptions> storage, TimeProvider clock)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey.Key.Key, 32, info: "asset-urls"u8.ToArray());
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
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

    private string Sign(string storageKey, long expires)
    {
        var hmac = _hmac.Value!;
        hmac.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{storageKey}\n{expires}")));
        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(signature);
        return Base64Url.EncodeToString(signature);
    }

    private static bool FixedTimeEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
}
