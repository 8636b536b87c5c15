using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Infrastructure.ModelServers.Http;

namespace CleanBackend.Infrastructure.ModelServers.V1;

/// <summary>
/// The asynchronous v1 protocol (docs/model-server-protocol.md): submit the job under its own id, poll its status
/// and progress, download and check its files; a canceled token cancels the generation at the server too.
/// </summary>
internal sealed partial class V1ModelServerClient(
    IHttpClientFactory httpClientFactory,
    ModelServerSettings settings,
    TimeProvider time,
    ILogger<V1ModelServerClient> logger) : IModelServer
{
    /// <summary>More files than any model needs: a server listing more is not to be trusted with the disk.</summary>
    public const int MaxFiles = 16;

    // Canceling is a courtesy to the server: it must not hold up the job's end for long.
    private static readonly TimeSpan MaxCancelTimeout = TimeSpan.FromSeconds(5);

    public string Name => ModelServerProtocols.V1;

    public bool AcceptsImages => true;

    public async Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var id = request.JobId.ToString("D");
        var formats = ModelServerFiles.Requested(request.Formats);
        var http = CreateHttp();
        using var timeout = new CancellationTokenSource(settings.GenerationTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var folder = GenerationFolder.Create(settings.TempRoot, logger);
        try
        {
            LogStarted(logger, request.JobId, ModelServerFiles.PromptPrefix(request.Prompt), request.Images.Count, string.Join(',', formats.Select(f => f.Extension())), request.Quality);
            var body = new V1GenerationRequest(
                id,
                request.Prompt,
                request.NegativePrompt,
                [.. formats.Select(f => f.Extension())],
                request.Seed,
                request.Quality.ToString().ToLowerInvariant(),
                await ImagesAsync(request.Images, linked.Token),
                request.TargetPolycount,
                request.Topology.ToString().ToLowerInvariant());
            await http.SendJsonAsync<V1Generation>(ModelServerRequest.Post("v1/generations", body), linked.Token);

            var generation = await PollAsync(http, id, progress, linked.Token);
            var files = await DownloadAsync(http, id, generation, formats, folder, linked.Token);
            progress.Report(100);
            LogFinished(logger, request.JobId, files.Count);
            return new GenerationOutput(files, folder.Dispose);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            folder.Dispose();
            await CancelAsync(http, request.JobId);
            throw;
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is OperationCanceledException or ModelServerException)
        {
            folder.Dispose();
            await CancelAsync(http, request.JobId);
            throw ModelServerErrors.TimedOut(settings.GenerationTimeout);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        CreateHttp(RemoteModelServerRegistration.ProbeClientName).ProbeAsync("health", static (_, _) => Task.FromResult(true), cancellationToken);

    /// <summary>The job's images as the setting says: signed links the server fetches, or the bytes themselves.</summary>
    private async Task<IReadOnlyList<V1Image>> ImagesAsync(IReadOnlyList<GenerationImage> images, CancellationToken cancellationToken)
    {
        var sent = new List<V1Image>(images.Count);
        foreach (var image in images)
        {
            var mediaType = image.Format.ContentType();
            if (settings.ImageInputs == ModelServerImageInputs.Url)
            {
                sent.Add(new V1Image(image.Url.AbsoluteUri, null, mediaType));
                continue;
            }

            await using var content = await image.OpenAsync(cancellationToken);
            using var bytes = new MemoryStream();
            await content.CopyToAsync(bytes, cancellationToken);
            sent.Add(new V1Image(null, Convert.ToBase64String(bytes.GetBuffer(), 0, (int)bytes.Length), mediaType));
        }

        return sent;
    }

    private async Task<V1Generation> PollAsync(ModelServerHttp http, string id, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var reported = 0;
        while (true)
        {
            var generation = await http.SendJsonAsync<V1Generation>(ModelServerRequest.Get($"v1/generations/{id}"), cancellationToken);

            // 100 is kept for when the files are here and checked.
            if (generation.Progress is { } value && !double.IsNaN(value) && (int)Math.Clamp(Math.Round(value), 0, 99) is var percent && percent > reported)
            {
                reported = percent;
                progress.Report(percent);
            }

            switch (generation.Status)
            {
                case V1Statuses.Succeeded:
                    return generation;
                case V1Statuses.Failed:
                    throw ModelServerErrors.GenerationFailed(generation.Error);
                case V1Statuses.Canceled:
                    throw new ModelServerException("The model server canceled the generation.");
                case V1Statuses.Queued or V1Statuses.Running:
                    await Task.Delay(settings.PollInterval, time, cancellationToken);
                    break;
                default:
                    throw ModelServerErrors.BadAnswer($"the status '{ModelServerErrors.Clean(generation.Status)}' is not one of queued, running, succeeded, failed, canceled");
            }
        }
    }

    private async Task<IReadOnlyList<GeneratedFile>> DownloadAsync(
        ModelServerHttp http, string id, V1Generation generation, IReadOnlyList<AssetFormat> formats, GenerationFolder folder, CancellationToken cancellationToken)
    {
        var listed = Check(generation.Files ?? []);

        // An obj is no use without its materials.
        var wanted = formats.Contains(AssetFormat.Obj) ? [.. formats, AssetFormat.Mtl] : formats;
        var files = new List<GeneratedFile>();
        foreach (var format in wanted)
        {
            var (name, _) = listed.FirstOrDefault(f => f.Format == format);
            if (name is null)
            {
                throw ModelServerErrors.BadAnswer($"it did not list the {format.Extension()} file that was asked for");
            }

            files.Add(await http.DownloadAsync($"v1/generations/{id}/files/{name}", folder, name, format, cancellationToken));
        }

        return files;
    }

    /// <summary>Every listed file must have a plain name whose extension matches its declared format, and a size within limits.</summary>
    private List<(string Name, AssetFormat Format)> Check(IReadOnlyList<V1File> files)
    {
        if (files.Count > MaxFiles)
        {
            throw ModelServerErrors.BadAnswer($"it listed {files.Count} files, more than the {MaxFiles} allowed");
        }

        var checkedFiles = new List<(string Name, AssetFormat Format)>();
        foreach (var file in files)
        {
            if (ModelServerFiles.FormatOfName(file.Name) is not { } format)
            {
                throw ModelServerErrors.BadAnswer($"the file name '{ModelServerErrors.Clean(file.Name)}' is not allowed");
            }

            if (!AssetFormats.TryParse(file.Format, out var declared) || declared != format)
            {
                throw ModelServerErrors.BadAnswer($"the file {file.Name} is declared as '{ModelServerErrors.Clean(file.Format)}'");
            }

            if (file.SizeBytes > settings.MaxFileBytes)
            {
                throw ModelServerErrors.FileTooLarge(file.Name!, settings.MaxFileBytes);
            }

            if (checkedFiles.Any(f => f.Name == file.Name))
            {
                throw ModelServerErrors.BadAnswer($"the file {file.Name} is listed twice");
            }

            checkedFiles.Add((file.Name!, format));
        }

        return checkedFiles;
    }

    /// <summary>Best effort, with its own short timeout: the caller's token is canceled already.</summary>
    private async Task CancelAsync(ModelServerHttp http, Guid jobId)
    {
        var cancelTimeout = settings.RequestTimeout < MaxCancelTimeout ? settings.RequestTimeout : MaxCancelTimeout;
        using var stop = new CancellationTokenSource(cancelTimeout, time);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"v1/generations/{jobId:D}/cancel", UriKind.Relative));
        request.Options.Set(ModelServerRequest.SingleTry, true);
        request.Options.Set(ModelServerRequest.Timeout, cancelTimeout);
        try
        {
            using var response = await http.SendAsync(request, stop.Token);
            LogCanceled(logger, jobId);
        }
        catch (Exception e) when (e is ModelServerException or OperationCanceledException)
        {
            LogCancelFailed(logger, jobId, e.Message);
        }
    }

    private ModelServerHttp CreateHttp(string client = RemoteModelServerRegistration.HttpClientName) =>
        new(httpClientFactory.CreateClient(client), settings, logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} sent to the v1 model server: \"{PromptPrefix}\", {ImageCount} images ({Formats}, {Quality})")]
    private static partial void LogStarted(ILogger logger, Guid jobId, string promptPrefix, int imageCount, string formats, Domain.Jobs.GenerationQuality quality);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} done by the v1 model server: {FileCount} files checked")]
    private static partial void LogFinished(ILogger logger, Guid jobId, int fileCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} canceled at the v1 model server")]
    private static partial void LogCanceled(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not cancel generation {JobId} at the v1 model server: {Error}")]
    private static partial void LogCancelFailed(ILogger logger, Guid jobId, string error);
}
