using System.Buffers.Binary;
using System.Text;

namespace CleanBackend.Infrastructure.IntegrationTests.Models;

/// <summary>Hand-made binary glTF files: a JSON chunk as given and a BIN chunk of the given bytes, each padded to 4 bytes.</summary>
public static class TestGlb
{
    /// <summary>The corners of a unit square in the z = 0 plane, counter-clockwise seen from +z.</summary>
    public static readonly float[] SquareCorners = [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0];

    /// <summary>The square's two triangles.</summary>
    public static readonly int[] SquareTriangles = [0, 1, 2, 0, 2, 3];

    public static byte[] Build(string json, byte[]? bin = null)
    {
        var jsonBytes = Encoding.UTF8.GetBytes(json);
        var jsonLength = Align(jsonBytes.Length);
        var binLength = bin is null ? 0 : Align(bin.Length);
        var total = 12 + 8 + jsonLength + (bin is null ? 0 : 8 + binLength);
        var glb = new byte[total];
        var span = glb.AsSpan();
        "glTF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)jsonLength);
        "JSON"u8.CopyTo(span[16..]);
        jsonBytes.CopyTo(span[20..]);
        span.Slice(20 + jsonBytes.Length, jsonLength - jsonBytes.Length).Fill((byte)' ');
        if (bin is not null)
        {
            var at = 20 + jsonLength;
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)binLength);
            "BIN\0"u8.CopyTo(span[(at + 4)..]);
            bin.CopyTo(span[(at + 8)..]);
        }

        return glb;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    /// <summary>Indices as unsigned integers of <paramref name="componentType"/> (5121, 5123 or 5125), padded to 4 bytes.</summary>
    public static byte[] Indices(int componentType, params int[] values)
    {
        var size = componentType switch { 5121 => 1, 5123 => 2, _ => 4 };
        var bytes = new byte[Align(values.Length * size)];
        for (var i = 0; i < values.Length; i++)
        {
            switch (size)
            {
                case 1:
                    bytes[i] = (byte)values[i];
                    break;
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)values[i]);
                    break;
                default:
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), (uint)values[i]);
                    break;
            }
        }

        return bytes;
    }

    /// <summary>
    /// The unit square as one mesh with positions (accessor 0) and indices of <paramref name="indexType"/> (accessor 1;
    /// none when null), placed by <paramref name="nodes"/> (a JSON array; one plain node by default) with the scenes
    /// <paramref name="scenes"/> (<paramref name="scene"/> the default), and <paramref name="materials"/> (a JSON array) used
    /// by material 0 when given.
    /// </summary>
    public static byte[] Square(int? indexType = 5123, string nodes = """[{"mesh":0}]""", string scenes = """[{"nodes":[0]}]""", string? materials = null, int scene = 0)
    {
        // Without indices, each triangle has its own three corners.
        float[] corners = indexType is null ? [.. SquareTriangles.SelectMany(i => SquareCorners.Skip(i * 3).Take(3))] : SquareCorners;
        var positions = Floats(corners);
        var indices = indexType is { } type ? Indices(type, SquareTriangles) : [];
        var indexAccessor = indexType is { } t
            ? $$""",{"bufferView":1,"componentType":{{t}},"count":6,"type":"SCALAR"}"""
            : string.Empty;
        var indexView = indexType is null ? string.Empty : $$""",{"buffer":0,"byteOffset":{{positions.Length}},"byteLength":{{indices.Length}}}""";
        var primitive = (indexType is null ? """{"attributes":{"POSITION":0}""" : """{"attributes":{"POSITION":0},"indices":1""")
            + (materials is null ? "}" : ""","material":0}""");
        var json = $$"""
            {"asset":{"version":"2.0"},"scene":{{scene}},"scenes":{{scenes}},"nodes":{{nodes}},
             "meshes":[{"primitives":[{{primitive}}]}],
             {{(materials is null ? string.Empty : $"\"materials\":{materials},")}}
             "accessors":[{"bufferView":0,"componentType":5126,"count":{{corners.Length / 3}},"type":"VEC3","min":[0,0,0],"max":[1,1,0]}{{indexAccessor}}],
             "bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":{{positions.Length}}}{{indexView}}],
             "buffers":[{"byteLength":{{positions.Length + indices.Length}}}]}
            """;
        return Build(json, [.. positions, .. indices]);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
