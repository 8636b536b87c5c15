using System.Diagnostics;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// The generator used when no remote model server is configured: reads the prompt for shapes, colours,
/// counts and sizes, builds a mesh from primitives (or a seeded blob), and writes glb, obj + mtl, ply, stl and a
/// png preview into a temporary folder that disposing the output deletes. Same prompt and seed, same bytes.
/// </summary>
internal sealed partial class BuiltInModelServer : IModelServer
{
    public const string ServerName = "built-in";
    public const int PreviewSize = 256;

    private readonly ILogger<BuiltInModelServer> _logger;
    private readonly string _workRoot;

    public BuiltInModelServer(ILogger<BuiltInModelServer> logger)
        : this(logger, Path.Combine(Path.GetTempPath(), "cleanbackend-built-in"))
    {
    }

    /// <summary>For tests: the folder the per-generation folders are made in.</summary>
    internal BuiltInModelServer(ILogger<BuiltInModelServer> logger, string workRoot)
    {
        _logger = logger;
        _workRoot = workRoot;
    }

    public string Name => ServerName;

    public bool AcceptsImages => true;

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);

        // CPU-bound work: keep it off the caller's thread.
        return Task.Run(() => Generate(request, progress, cancellationToken), cancellationToken);
    }

    private GenerationOutput Generate(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = PromptParser.Parse(request.Prompt, request.NegativePrompt);
        progress.Report(5);
        var mesh = SceneBuilder.Build(spec, request.Seed, request.Quality, request.TargetPolycount);
        progress.Report(20);
        cancellationToken.ThrowIfCancellationRequested();

        var formats = request.Formats.Where(f => f.IsGeneratable()).Distinct().Order().ToList();
        if (formats.Count == 0)
        {
            formats.Add(AssetFormat.Glb);
        }

        var folder = Path.Combine(_workRoot, $"{request.JobId:N}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            var files = new List<GeneratedFile>();
            void Write(string fileName, AssetFormat format, Action<Stream> write)
            {
                var path = Path.Combine(folder, fileName);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
                {
                    write(stream);
                }

                files.Add(new GeneratedFile(fileName, format, () => File.OpenRead(path)));
            }

            // Progress runs from 20 to 95 over the files, the preview being the last of them.
            var steps = formats.Count + 1;
            var done = 0;
            void Step()
            {
                done++;
                progress.Report(20 + (75 * done / steps));
                cancellationToken.ThrowIfCancellationRequested();
            }

            foreach (var format in formats)
            {
                switch (format)
                {
                    case AssetFormat.Glb:
                        Write("model.glb", AssetFormat.Glb, s => GlbWriter.Write(mesh, s));
                        break;
                    case AssetFormat.Obj:
                        Write("model.obj", AssetFormat.Obj, s => ObjWriter.WriteObj(mesh, "model.mtl", s));
                        Write("model.mtl", AssetFormat.Mtl, s => ObjWriter.WriteMtl(mesh, s));
                        break;
                    case AssetFormat.Ply:
                        Write("model.ply", AssetFormat.Ply, s => PlyWriter.Write(mesh, s));
                        break;
                    case AssetFormat.Stl:
                        Write("model.stl", AssetFormat.Stl, s => StlWriter.Write(mesh, s));
                        break;
                }

                Step();
            }

            var pixels = PreviewRenderer.Render(mesh, PreviewSize);
            Write("preview.png", AssetFormat.Png, s => PngEncoder.Write(PreviewSize, PreviewSize, pixels, s));
            Step();

            progress.Report(100);
            LogGenerated(request.JobId, mesh.Parts.Count, mesh.TriangleCount, spec.IsFallback, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new GenerationOutput(files, () => DeleteFolder(folder));
        }
        catch (IOException ex)
        {
            DeleteFolder(folder);
            throw new ModelServerException("The built-in generator could not write the model files.", ex);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    private void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leftovers in the temp folder are not worth failing a job or a cleanup for.
            LogCleanupFailed(ex, folder);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Built-in generator made job {JobId}: {Parts} parts, {Triangles} triangles, fallback {Fallback}, in {ElapsedMs:0.0} ms")]
    private partial void LogGenerated(Guid jobId, int parts, int triangles, bool fallback, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the built-in generator's folder {Folder}")]
    private partial void LogCleanupFailed(Exception exception, string folder);
}
