using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// The calls both protocols make, over an HttpClient from IHttpClientFactory (one per generation or probe): JSON in
/// and out, file downloads that are checked before anyone sees them, health probes. Every failure comes out as a
/// <see cref="ModelServerException"/>; a canceled token stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed partial class ModelServerHttp(HttpClient http, ModelServerSettings settings, ILogger logger)
{
    /// <summary>Sends a request and returns its successful, already read answer.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw ModelServerErrors.DidNotAnswer(e, ModelServerRequest.TriesOf(request), settings);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ModelServerErrors.FailedAsync(response, ModelServerRequest.TriesOf(request), cancellationToken);
            }
        }

        return response;
    }

    /// <summary>Sends a request (and disposes it) and reads its answer as <typeparamref name="T"/>.</summary>
    public async Task<T> SendJsonAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            using var response = await SendAsync(request, cancellationToken);
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(ModelServerRequest.Json, cancellationToken)
                    ?? throw ModelServerErrors.BadAnswer($"{ModelServerErrors.Call(request)} answered null");
            }
            catch (JsonException e)
            {
                throw ModelServerErrors.BadAnswer($"{ModelServerErrors.Call(request)} did not answer the expected JSON", e);
            }
        }
    }

    /// <summary>
    /// Streams a file into <paramref name="folder"/> (stopping past MaxFileBytes), then checks that its first bytes
    /// are what <paramref name="format"/> says.
    /// </summary>
    public async Task<GeneratedFile> DownloadAsync(string path, GenerationFolder folder, string fileName, AssetFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var target = folder.PathOf(fileName);
        using (var request = ModelServerRequest.Get(path))
        {
            request.Options.Set(ModelServerRequest.Download, new ModelServerDownload(target, settings.MaxFileBytes));
            using var response = await SendAsync(request, cancellationToken);
        }

        await ModelServerFiles.CheckContentAsync(target, fileName, format, cancellationToken);
        LogDownloaded(logger, fileName, new FileInfo(target).Length);
        return folder.File(fileName, format);
    }

    /// <summary>
    /// One quick try on the probe client (no retries, no breaker): a health probe must answer quickly, and "no" is an
    /// answer too.
    /// </summary>
    public async Task<bool> ProbeAsync(string path, Func<HttpResponseMessage, CancellationToken, Task<bool>> isHealthy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isHealthy);
        using var request = ModelServerRequest.Get(path);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode && await isHealthy(response, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            LogProbeFailed(logger, e.GetType().Name, e.Message);
            return false;
        }
    }

    /// <summary>Reads a JSON answer, or null when it is not JSON of that shape.</summary>
    public static async Task<T?> TryReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ModelServerRequest.Json, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Downloaded {FileName} ({Bytes} bytes) from the model server")]
    private static partial void LogDownloaded(ILogger logger, string fileName, long bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Model server health probe failed: {ErrorType}: {Error}")]
    private static partial void LogProbeFailed(ILogger logger, string errorType, string error);
}
