using System.Net.Http.Headers;
using System.Text.Json;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>Where a downloaded file goes, and how large it may be.</summary>
internal sealed record ModelServerDownload(string Path, long MaxBytes);

/// <summary>
/// Requests to the model server, with the options its resilience pipeline and <see cref="ModelServerAnswerHandler"/> read: a timeout other
/// than the usual one, no retries, a file to stream the answer into, and (set by the handler) how many tries it took.
/// </summary>
internal static class ModelServerRequest
{
    public static readonly HttpRequestOptionsKey<TimeSpan> Timeout = new("ModelServer.Timeout");
    public static readonly HttpRequestOptionsKey<bool> SingleTry = new("ModelServer.SingleTry");
    public static readonly HttpRequestOptionsKey<ModelServerDownload> Download = new("ModelServer.Download");
    public static readonly HttpRequestOptionsKey<int> Tries = new("ModelServer.Tries");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(path, UriKind.Relative));

    /// <summary>A POST whose body is fully buffered, so a retry can send the very same bytes again.</summary>
    public static HttpRequestMessage Post<T>(string path, T body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
    }

    public static int TriesOf(HttpRequestMessage request) => request.Options.TryGetValue(Tries, out var tries) ? tries : 0;
}
