using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using CleanBackend.Infrastructure.ModelServers.Http;

namespace CleanBackend.Infrastructure.Models;

/// <summary>
/// Other formats of a glb: the glb is read into a mesh, which the built-in generator's writers write as stl, ply,
/// obj + mtl or glb into a private temporary folder that disposing the output deletes.
/// </summary>
internal sealed class ModelConverter(ILogger<ModelConverter> logger) : IModelConverter
{
    private const string DefaultBaseName = "model";

    public async Task<GenerationOutput> ConvertAsync(Stream glb, AssetFormat format, string baseName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(glb);
        if (!format.IsGeneratable())
        {
            throw new UnreadableModelException($"Models cannot be converted to {format.Extension()}.");
        }

        var mesh = await ModelFiles.ReadAsync(glb, AssetFormat.Glb, cancellationToken);
        var name = ModelServerFiles.IsPlainName(baseName + ".mtl") ? baseName : DefaultBaseName;
        var folder = GenerationFolder.Create(null, logger);
        try
        {
            var files = await Task.Run(() => Write(mesh, format, name, folder), cancellationToken);
            return new GenerationOutput(files, folder.Dispose);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private static List<GeneratedFile> Write(Mesh mesh, AssetFormat format, string name, GenerationFolder folder)
    {
        var files = new List<GeneratedFile>();
        void File(AssetFormat fileFormat, Action<Stream> write)
        {
            var fileName = $"{name}.{fileFormat.Extension()}";
            using (var stream = new FileStream(folder.PathOf(fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                write(stream);
            }

            files.Add(folder.File(fileName, fileFormat));
        }

        switch (format)
        {
            case AssetFormat.Obj:
                File(AssetFormat.Obj, s => ObjWriter.WriteObj(mesh, $"{name}.mtl", s));
                File(AssetFormat.Mtl, s => ObjWriter.WriteMtl(mesh, s));
                break;
            case AssetFormat.Ply:
                File(AssetFormat.Ply, s => PlyWriter.Write(mesh, s));
                break;
            case AssetFormat.Stl:
                File(AssetFormat.Stl, s => StlWriter.Write(mesh, s));
                break;
            default:
                File(AssetFormat.Glb, s => GlbWriter.Write(mesh, s));
                break;
        }

        return files;
    }
}
