using System.Text.Json.Serialization;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Application.Assets.Common;

public sealed record AssetDto
{
    public Guid Id { get; init; }

    public Guid? JobId { get; init; }

    public AssetFormat Format { get; init; }

    public string FileName { get; init; } = string.Empty;

    public long SizeBytes { get; init; }

    public string Sha256 { get; init; } = string.Empty;

    public DateTime CreatedAt { get; init; }

    /// <summary>A signed, expiring download URL that needs no Authorization header.</summary>
    public string Url { get; init; } = string.Empty;

    /// <summary>Where the bytes are; only used to sign <see cref="Url"/>.</summary>
    [JsonIgnore]
    public string StorageKey { get; init; } = string.Empty;

    public AssetDto WithSignedUrl(IAssetUrlSigner signer) => this with { Url = signer.UrlFor(StorageKey) };

    private sealed class Mapping : Profile
    {
        public Mapping() => CreateMap<Asset, AssetDto>().ForMember(d => d.Url, o => o.Ignore());
    }
}

/// <summary>A stored file ready to be streamed to a client.</summary>
public sealed record AssetFile(Stream Content, string ContentType, string FileName, string Sha256, DateTime CreatedAt);
