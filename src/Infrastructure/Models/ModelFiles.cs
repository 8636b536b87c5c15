using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.Models;

/// <summary>Reads the model files this service can read (glb, ply, stl) into a <see cref="Mesh"/>; obj is not read.</summary>
internal static class ModelFiles
{
    /// <summary>The most faithful first: glb keeps materials, ply a colour, stl only the shape.</summary>
    public static readonly IReadOnlyList<AssetFormat> Readable = [AssetFormat.Glb, AssetFormat.Ply, AssetFormat.Stl];

    /// <summary>Reads the whole stream (at most <see cref="ModelLimits.MaxFileBytes"/>) and parses it off the caller's thread.</summary>
    public static async Task<Mesh> ReadAsync(Stream model, AssetFormat format, CancellationToken cancellationToken)
    {
        if (!Readable.Contains(format))
        {
            throw new UnreadableModelException($"{format.Extension()} models cannot be read, only {string.Join(", ", Readable.Select(f => f.Extension()))}.");
        }

        var bytes = await ReadAllAsync(model, format, cancellationToken);
        return await Task.Run(() => Parse(bytes, format), cancellationToken);
    }

    public static Mesh Parse(ReadOnlyMemory<byte> bytes, AssetFormat format) => format switch
    {
        AssetFormat.Glb => GlbReader.Read(bytes),
        AssetFormat.Ply => PlyReader.Read(bytes.Span),
        AssetFormat.Stl => StlReader.Read(bytes.Span),
        _ => throw new UnreadableModelException($"{format.Extension()} models cannot be read."),
    };

    /// <summary>The stream's bytes; one larger than a model may be is refused before it is all held.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream model, AssetFormat format, CancellationToken cancellationToken)
    {
        if (model.CanSeek && model.Length - model.Position > ModelLimits.MaxFileBytes)
        {
            throw TooLarge(format);
        }

        using var copy = model.CanSeek ? new MemoryStream((int)(model.Length - model.Position)) : new MemoryStream();
        var buffer = new byte[81_920];
        int read;
        while ((read = await model.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (copy.Length + read > ModelLimits.MaxFileBytes)
            {
                throw TooLarge(format);
            }

            copy.Write(buffer, 0, read);
        }

        // A stream that said its length filled the buffer exactly: no second copy of up to 50 MB.
        return copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
    }

    private static UnreadableModelException TooLarge(AssetFormat format) =>
        new($"The {format.Extension()} is larger than the {ModelLimits.MaxFileBytes / (1024 * 1024)} MB a model may be.");
}
