using System.Buffers.Binary;
using System.Text;

namespace CleanBackend.Domain.Assets;

/// <summary>
/// Tells an asset's format from its first bytes, never from its name or a header a client chose: signatures
/// for the binary formats, the shape of the first lines for the text ones.
/// </summary>
public static class AssetContent
{
    /// <summary>How many leading bytes <see cref="Detect"/> wants to see.</summary>
    public const int HeadLength = 4096;

    private const int StlHeaderBytes = 80;
    private const int StlTriangleBytes = 50;

    public static AssetFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return AssetFormat.Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return AssetFormat.Jpg;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return AssetFormat.Webp;
        }

        // Binary glTF: magic "glTF", then version 2 as a little-endian uint32.
        if (head.Length >= 12 && head.StartsWith("glTF"u8) && head[4] == 2 && head[5] == 0 && head[6] == 0 && head[7] == 0)
        {
            return AssetFormat.Glb;
        }

        if (head.StartsWith("ply\n"u8) || head.StartsWith("ply\r\n"u8))
        {
            return AssetFormat.Ply;
        }

        return DetectText(head);
    }

    /// <summary>
    /// Binary stl has no signature: an 80-byte header (free text, sometimes even "solid"), the triangle count, then 50
    /// bytes per triangle. A file is one when its length is exactly what its count says, with at least one triangle.
    /// </summary>
    public static bool IsBinaryStl(ReadOnlySpan<byte> head, long length)
    {
        if (head.Length < StlHeaderBytes + 4)
        {
            return false;
        }

        var triangles = BinaryPrimitives.ReadUInt32LittleEndian(head[StlHeaderBytes..]);
        return triangles > 0 && length == StlHeaderBytes + 4 + (StlTriangleBytes * (long)triangles);
    }

    private static AssetFormat? DetectText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty || !IsTextOnly(head))
        {
            return null;
        }

        var lines = Encoding.UTF8.GetString(head).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Take(20)
            .ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        if (lines.Any(l => l.StartsWith("newmtl ", StringComparison.Ordinal)))
        {
            return AssetFormat.Mtl;
        }

        string[] objKeywords = ["v ", "vt ", "vn ", "f ", "o ", "g ", "s ", "mtllib ", "usemtl "];
        return lines.All(l => objKeywords.Any(k => l.StartsWith(k, StringComparison.Ordinal))) && lines.Any(l => l.StartsWith("v ", StringComparison.Ordinal))
            ? AssetFormat.Obj
            : null;
    }

    private static bool IsTextOnly(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            // Control characters mean binary; bytes above 0x7F may be UTF-8 in comments and names.
            if (b is not (0x09 or 0x0A or 0x0D) && (b < 0x20 || b == 0x7F))
            {
                return false;
            }
        }

        return true;
    }
}
