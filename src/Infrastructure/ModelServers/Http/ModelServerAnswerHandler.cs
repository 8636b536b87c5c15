using System.Buffers;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// One try of a request to the model server, inside the resilience pipeline (see <see cref="ModelServerResilience"/>):
/// a try includes reading the whole answer (buffered, or streamed into the file named by
/// <see cref="ModelServerRequest.Download"/>), so a server that stalls or drops the connection halfway through a body
/// is timed out and retried like one that never answers. It also counts the tries, for the job's error message.
/// </summary>
internal sealed class ModelServerAnswerHandler : DelegatingHandler
{
    /// <summary>JSON answers are small; a runaway server must not fill memory.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    /// <summary>Error answers are read only for their message.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        TryOnceAsync(request, cancellationToken).AsTask();

    private async ValueTask<HttpResponseMessage> TryOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(ModelServerRequest.Tries, ModelServerRequest.TriesOf(request) + 1);

        HttpResponseMessage response;
        try
        {
            // Re-sending the same message is safe: its content is a byte array (see ModelServerRequest.Post).
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // SocketsHttpHandler's ConnectTimeout surfaces as a cancellation nobody asked for.
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connecting to the model server timed out.", e);
        }

        try
        {
            if (response.IsSuccessStatusCode && request.Options.TryGetValue(ModelServerRequest.Download, out var download))
            {
                await DownloadAsync(response, download, cancellationToken);
            }
            else
            {
                await BufferAsync(response, cancellationToken);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task DownloadAsync(HttpResponseMessage response, ModelServerDownload download, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > download.MaxBytes)
        {
            throw ModelServerErrors.FileTooLarge(Path.GetFileName(download.Path), download.MaxBytes);
        }

        // FileMode.Create: a retried download starts over.
        await using (var file = new FileStream(download.Path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            if (!await CopyAsync(body, file, download.MaxBytes, cancellationToken))
            {
                throw ModelServerErrors.FileTooLarge(Path.GetFileName(download.Path), download.MaxBytes);
            }
        }

        response.Content.Dispose();
        response.Content = new ByteArrayContent([]);
    }

    private static async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = response.IsSuccessStatusCode ? MaxAnswerBytes : MaxErrorBytes;
        using var buffer = new MemoryStream();
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            // An error answer past the limit is cut short: only its beginning carries the message.
            if (!await CopyAsync(body, buffer, limit, cancellationToken) && response.IsSuccessStatusCode)
            {
                throw ModelServerErrors.AnswerTooLarge(limit);
            }
        }

        var content = new ByteArrayContent(buffer.ToArray());
        foreach (var header in response.Content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = content;
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; false when the source has more (the rest is not read).</summary>
    private static async Task<bool> CopyAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, cancellationToken);
                }
                catch (IOException e)
                {
                    // A connection that breaks off mid-answer is as transient as one that never connects.
                    throw new HttpRequestException(HttpRequestError.ResponseEnded, "The answer broke off.", e);
                }

                if (read == 0)
                {
                    return true;
                }

                total += read;
                if (total > limit)
                {
                    return false;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
