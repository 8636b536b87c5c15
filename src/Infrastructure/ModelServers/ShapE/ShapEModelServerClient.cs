using System.Text.Json;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.Http;

namespace CleanBackend.Infrastructure.ModelServers.ShapE;

/// <summary>POST /generate3D of the seed's Flask server.</summary>
internal sealed record ShapEGenerateRequest(string Prompt, double GuidanceScale, int Steps, int FrameSize);

/// <summary>Its answer: the folder of the files under /data/assets/ (a string, or a number from some versions).</summary>
internal sealed record ShapEGenerated(JsonElement Id);

internal sealed record ShapEHealth(bool Ok);

/// <summary>
/// The seed's own Flask + Shap-E server, which must keep working unchanged: one synchronous call that answers when
/// the model is done (minutes), then the mesh files by fixed names. It reports no progress, so progress is estimated;
/// it cannot cancel, so a canceled token only abandons the call. It takes no negative prompt, no seed, no images and
/// no mesh settings, and writes no stl: a job that needs what it cannot do fails at once, before anything is sent.
/// </summary>
internal sealed partial class ShapEModelServerClient(
    IHttpClientFactory httpClientFactory,
    ModelServerSettings settings,
    TimeProvider time,
    ILogger<ShapEModelServerClient> logger) : IModelServer
{
    public const double GuidanceScale = 15;
    public const int Steps = 64;
    public const int DraftSteps = 32;
    public const int FrameSize = 256;

    // Rough Shap-E times on a GPU, for the estimate only.
    private static readonly TimeSpan ExpectedTime = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExpectedDraftTime = TimeSpan.FromSeconds(45);

    public string Name => ModelServerProtocols.ShapE;

    public bool AcceptsImages => false;

    /// <summary>The files the server writes for a model; nothing else is ever asked for.</summary>
    public static string FileName(AssetFormat format) => format switch
    {
        AssetFormat.Glb => "mesh.glb",
        AssetFormat.Obj => "mesh.obj",
        AssetFormat.Mtl => "mesh.mtl",
        AssetFormat.Ply => "mesh.ply",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "The shap-e server makes glb, obj (with mtl) and ply."),
    };

    public async Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var formats = ModelServerFiles.Requested(request.Formats);
        if (request.Images.Count > 0)
        {
            throw new ModelServerException("The shap-e model server makes models from text only, and this job has input images.");
        }

        if (formats.Contains(AssetFormat.Stl))
        {
            throw new ModelServerException("The shap-e model server makes glb, obj and ply; it cannot make stl.");
        }

        var http = CreateHttp();
        using var timeout = new CancellationTokenSource(settings.GenerationTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var folder = GenerationFolder.Create(settings.TempRoot, logger);
        try
        {
            var draft = request.Quality == GenerationQuality.Draft;
            LogStarted(logger, request.JobId, ModelServerFiles.PromptPrefix(request.Prompt), string.Join(',', formats.Select(f => f.Extension())), request.Quality);
            ShapEGenerated generated;
            await using (new EstimatedProgress(progress, draft ? ExpectedDraftTime : ExpectedTime, settings.PollInterval, time))
            {
                var post = ModelServerRequest.Post("generate3D", new ShapEGenerateRequest(request.Prompt, GuidanceScale, draft ? DraftSteps : Steps, FrameSize));

                // The server answers only when the model is done: one try may take the whole generation's time.
                post.Options.Set(ModelServerRequest.Timeout, settings.GenerationTimeout);
                generated = await http.SendJsonAsync<ShapEGenerated>(post, linked.Token);
            }

            var id = generated.Id.ValueKind switch
            {
                JsonValueKind.String => generated.Id.GetString(),
                JsonValueKind.Number => generated.Id.GetRawText(),
                _ => null,
            };
            if (!ModelServerFiles.IsPlainName(id))
            {
                throw ModelServerErrors.BadAnswer(id is null ? "it did not give the model's id" : $"the model id '{ModelServerErrors.Clean(id)}' is not a plain name");
            }

            var files = new List<GeneratedFile>();
            foreach (var format in formats.Contains(AssetFormat.Obj) ? [.. formats, AssetFormat.Mtl] : formats)
            {
                var name = FileName(format);
                files.Add(await http.DownloadAsync($"data/assets/{id}/{name}", folder, name, format, linked.Token));
            }

            progress.Report(100);
            LogFinished(logger, request.JobId, files.Count);
            return new GenerationOutput(files, folder.Dispose);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server has no cancel: the abandoned call ends the connection, the server finishes on its own.
            folder.Dispose();
            throw;
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is OperationCanceledException or ModelServerException)
        {
            folder.Dispose();
            throw ModelServerErrors.TimedOut(settings.GenerationTimeout);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        CreateHttp(RemoteModelServerRegistration.ProbeClientName).ProbeAsync(
            "health",
            static async (response, ct) => await ModelServerHttp.TryReadJsonAsync<ShapEHealth>(response, ct) is { Ok: true },
            cancellationToken);

    private ModelServerHttp CreateHttp(string client = RemoteModelServerRegistration.HttpClientName) =>
        new(httpClientFactory.CreateClient(client), settings, logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} sent to the shap-e model server: \"{PromptPrefix}\" ({Formats}, {Quality})")]
    private static partial void LogStarted(ILogger logger, Guid jobId, string promptPrefix, string formats, GenerationQuality quality);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} done by the shap-e model server: {FileCount} files checked")]
    private static partial void LogFinished(ILogger logger, Guid jobId, int fileCount);
}
