namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Expiring download links for stored files that work without an Authorization header.</summary>
public interface IAssetUrlSigner
{
    /// <summary>The absolute URL <c>{API_URL}/assets/{key}?exp=…&amp;sig=…</c>.</summary>
    string UrlFor(string storageKey);

    SignatureCheck Check(string storageKey, long expires, string? signature);
}

public enum SignatureCheck
{
    Valid,
    Invalid,
    Expired,
}
