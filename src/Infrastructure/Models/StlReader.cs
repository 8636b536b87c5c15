using System.Buffers.Binary;
using System.Numerics;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.Models;

/// <summary>
/// Reads a binary stl (80-byte header, triangle count, 50 bytes per triangle) into a one-part <see cref="Mesh"/>
/// in a neutral grey, as stl has no colour. Normals come from each triangle's corners, which stl files keep more
/// reliably than their stored facet normals. ASCII stl is not read.
/// </summary>
internal static class StlReader
{
    private const int HeaderBytes = 84;
    private const int TriangleBytes = 50;

    private static readonly Material Grey = new("stl", new Rgb(0.7f, 0.7f, 0.72f), 0f, 0.6f);

    public static Mesh Read(ReadOnlySpan<byte> stl)
    {
        if (stl.Length < HeaderBytes)
        {
            throw Bad("it is shorter than the binary stl header");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(stl[80..]);
        if (HeaderBytes + (count * (long)TriangleBytes) > stl.Length)
        {
            throw stl.StartsWith("solid"u8)
                ? Bad("it is an ASCII stl, which is not supported")
                : Bad($"its header says {count} triangles but it holds {(stl.Length - HeaderBytes) / TriangleBytes}");
        }

        if (count == 0)
        {
            throw Bad("it has no triangles");
        }

        ModelLimits.CheckCounts("stl", count * 3L, count);
        var geometry = new Geometry((int)count * 3, (int)count * 3);
        for (var t = 0; t < count; t++)
        {
            var at = HeaderBytes + (t * TriangleBytes);
            var a = Vector(stl, at + 12);
            var b = Vector(stl, at + 24);
            var c = Vector(stl, at + 36);
            var face = Vector3.Cross(b - a, c - a);
            var normal = face.LengthSquared() > 0 && float.IsFinite(face.LengthSquared()) ? Vector3.Normalize(face) : SurfaceNormals.Unit(Vector(stl, at));
            var first = geometry.AddVertex(a, normal);
            geometry.AddVertex(b, normal);
            geometry.AddVertex(c, normal);
            geometry.AddTriangle(first, first + 1, first + 2);
        }

        return new Mesh([new MeshPart("part0_stl", Grey, geometry)]);
    }

    private static Vector3 Vector(ReadOnlySpan<byte> stl, int at)
    {
        var v = new Vector3(
            BinaryPrimitives.ReadSingleLittleEndian(stl[at..]),
            BinaryPrimitives.ReadSingleLittleEndian(stl[(at + 4)..]),
            BinaryPrimitives.ReadSingleLittleEndian(stl[(at + 8)..]));
        return float.IsFinite(v.X) && float.IsFinite(v.Y) && float.IsFinite(v.Z) ? v : throw Bad("a corner or normal is not a finite number");
    }

    private static UnreadableModelException Bad(string reason) => new($"The stl cannot be read: {reason}.");
}
