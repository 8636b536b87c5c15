using System.Diagnostics;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// The generator used when no remote model server is configured: reads the prompt for shapes, colours,
/// counts and sizes, builds a mesh from primitives (or a seeded blob), or, given images, models the object they
/// show (<see cref="ImageModel"/>; the prompt and seed then change nothing), and writes glb, obj + mtl, ply, stl
/// and a png preview into a temporary folder that disposing the output deletes. Same inputs, same bytes.
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
        return Task.Run(
            async () =>
            {
                if (request.Images.Count > ImageModel.MaxViews)
                {
                    throw new ModelServerException($"The built-in generator takes at most {ImageModel.MaxViews} images of one object.");
                }

                var images = new List<byte[]>(request.Images.Count);
                for (var i = 0; i < request.Images.Count; i++)
                {
                    images.Add(await ReadImageAsync(request.Images[i], i + 1, cancellationToken));
                }

                return Generate(request, images, progress, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>The image's bytes, read whole (the decoder needs them all), at most <see cref="ImageDecoder.MaxEncodedBytes"/>.</summary>
    private static async Task<byte[]> ReadImageAsync(GenerationImage image, int number, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await image.OpenAsync(cancellationToken);
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (copy.Length + read > ImageDecoder.MaxEncodedBytes)
                {
                    throw new ModelServerException($"Image {number} is larger than {ImageDecoder.MaxEncodedBytes / (1024 * 1024)} MB.");
                }

                copy.Write(buffer, 0, read);
            }

            return copy.ToArray();
        }
        catch (IOException ex)
        {
            throw new ModelServerException($"Image {number} could not be read from storage.", ex);
        }
    }

    private GenerationOutput Generate(GenerationRequest request, List<byte[]> images, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Mesh mesh;
        var fallback = false;
        if (images.Count > 0)
        {
            var side = ImageModel.WorkingSide(request.Quality);
            var views = images.Select((bytes, i) => ImageDecoder.Decode(bytes, side, $"Image {i + 1}")).ToList();
            progress.Report(10);
            mesh = ImageModel.Build(views, ImageModel.Triangles(request.TargetPolycount, request.Quality), request.Quality);
        }
        else
        {
            var spec = PromptParser.Parse(request.Prompt, request.NegativePrompt);
            progress.Report(5);
            mesh = SceneBuilder.Build(spec, request.Seed, request.Quality, request.TargetPolycount);
            fallback = spec.IsFallback;
        }

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
                        Write("model.obj", AssetFormat.Obj, s => ObjWriter.WriteObj(mesh, "model.mtl", s, quads: request.Topology == MeshTopology.Quad));
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
            LogGenerated(request.JobId, images.Count, mesh.Parts.Count, mesh.TriangleCount, fallback, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Built-in generator made job {JobId} from {Images} images: {Parts} parts, {Triangles} triangles, fallback {Fallback}, in {ElapsedMs:0.0} ms")]
    private partial void LogGenerated(Guid jobId, int images, int parts, int triangles, bool fallback, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the built-in generator's folder {Folder}")]
    private partial void LogCleanupFailed(Exception exception, string folder);
}
