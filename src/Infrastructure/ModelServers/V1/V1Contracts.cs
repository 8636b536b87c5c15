using System.Text.Json.Serialization;

namespace CleanBackend.Infrastructure.ModelServers.V1;

/// <summary>
/// POST /v1/generations. The id is the backend's job id, so posting it twice makes one generation. Every field is
/// always sent: no images is <c>[]</c>, no target is <c>null</c>.
/// </summary>
internal sealed record V1GenerationRequest(
    string Id,
    string Prompt,
    string? NegativePrompt,
    IReadOnlyList<string> Formats,
    long Seed,
    string Quality,
    IReadOnlyList<V1Image> Images,
    int? TargetPolycount,
    string Topology);

/// <summary>An input image: a signed <c>url</c> to fetch it from, or its bytes as base64 <c>data</c>; never both.</summary>
internal sealed record V1Image(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Data,
    string MediaType);

/// <summary>The answer to POST /v1/generations and GET /v1/generations/{id}.</summary>
internal sealed record V1Generation(string? Id, string? Status, double? Progress, string? Error, IReadOnlyList<V1File>? Files);

internal sealed record V1File(string? Name, string? Format, long? SizeBytes);

internal static class V1Statuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
}
