using System.Buffers.Binary;
using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Binary stl: an 80-byte header, the triangle count, then each triangle's facet normal and three corners (all
/// parts together; stl carries no colour or material).
/// </summary>
internal static class StlWriter
{
    public const int HeaderBytes = 80;
    public const int TriangleBytes = 50;

    public static void Write(Mesh mesh, Stream output)
    {
        var header = new byte[HeaderBytes + 4];
        "CleanBackend built-in generator"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(HeaderBytes), (uint)mesh.TriangleCount);
        output.Write(header);

        Span<byte> triangle = stackalloc byte[TriangleBytes];
        foreach (var part in mesh.Parts)
        {
            var (positions, indices) = (part.Geometry.Positions, part.Geometry.Indices);
            for (var i = 0; i < indices.Count; i += 3)
            {
                var (a, b, c) = (positions[indices[i]], positions[indices[i + 1]], positions[indices[i + 2]]);
                var normal = Vector3.Cross(b - a, c - a);
                normal = normal == Vector3.Zero ? Vector3.Zero : Vector3.Normalize(normal);
                WriteVector(triangle, 0, normal);
                WriteVector(triangle, 12, a);
                WriteVector(triangle, 24, b);
                WriteVector(triangle, 36, c);
                triangle[48] = 0;
                triangle[49] = 0;
                output.Write(triangle);
            }
        }
    }

    private static void WriteVector(Span<byte> buffer, int offset, Vector3 v)
    {
        BinaryPrimitives.WriteSingleLittleEndian(buffer[offset..], v.X);
        BinaryPrimitives.WriteSingleLittleEndian(buffer[(offset + 4)..], v.Y);
        BinaryPrimitives.WriteSingleLittleEndian(buffer[(offset + 8)..], v.Z);
    }
}
