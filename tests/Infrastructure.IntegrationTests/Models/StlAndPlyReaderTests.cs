using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;
using CleanBackend.Infrastructure.Models;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.Models;

public sealed class StlAndPlyReaderTests : BuiltInTestBase
{
    [Theory]
    [InlineData("a red cube")]
    [InlineData("a house, a tree and a car on the floor")]
    public void Stl_RoundTrip_GivesEachTriangleItsCornersInOrder_WithTheFaceNormal(string prompt)
    {
        var mesh = MeshFor(Request(prompt, quality: GenerationQuality.Draft));
        using var stl = new MemoryStream();
        StlWriter.Write(mesh, stl);

        var read = StlReader.Read(stl.ToArray());

        var geometry = read.Parts.ShouldHaveSingleItem().Geometry;
        geometry.TriangleCount.ShouldBe(mesh.TriangleCount);
        geometry.Positions.ShouldBe([.. Corners(mesh)]);
        geometry.Indices.ShouldBe(Enumerable.Range(0, mesh.TriangleCount * 3));
        for (var t = 0; t < geometry.Indices.Count; t += 3)
        {
            var (a, b, c) = (geometry.Positions[t], geometry.Positions[t + 1], geometry.Positions[t + 2]);
            Vector3.Distance(geometry.Normals[t], Vector3.Normalize(Vector3.Cross(b - a, c - a))).ShouldBeLessThan(1e-5f);
        }
    }

    public static TheoryData<string, byte[]> MalformedStl => new()
    {
        { "it is shorter than the binary stl header", new byte[40] },
        { "it is an ASCII stl, which is not supported", Encoding.ASCII.GetBytes("solid cube\n  facet normal 0 0 1\n    outer loop\n      vertex 0 0 0\n      vertex 1 0 0\n      vertex 0 1 0\n    endloop\n  endfacet\nendsolid cube\n") },
        { "its header says 10 triangles but it holds 1", Stl(10, [0, 0, 0, 1, 0, 0, 0, 1, 0]) },
        { "it has no triangles", Stl(0, []) },
        { "a corner or normal is not a finite number", Stl(1, [0, 0, 0, float.PositiveInfinity, 0, 0, 0, 1, 0]) },
    };

    [Theory]
    [MemberData(nameof(MalformedStl))]
    public void Stl_Malformed_IsRefused_SayingWhy(string reason, byte[] stl)
    {
        Should.Throw<UnreadableModelException>(() => StlReader.Read(stl)).Message.ShouldBe($"The stl cannot be read: {reason}.");
    }

    [Fact]
    public void Ply_RoundTripOfTheBinaryWriter_GivesTheVerticesTrianglesAndAverageColour()
    {
        var mesh = MeshFor(Request("a red cube and a blue sphere", quality: GenerationQuality.Draft));
        using var ply = new MemoryStream();
        PlyWriter.Write(mesh, ply);

        var read = PlyReader.Read(ply.ToArray());

        var part = read.Parts.ShouldHaveSingleItem();
        part.Geometry.Positions.ShouldBe([.. mesh.Parts.SelectMany(p => p.Geometry.Positions)]);
        part.Geometry.Indices.ShouldBe([.. mesh.Parts.SelectMany((p, i) => p.Geometry.Indices.Select(index => index + mesh.Parts.Take(i).Sum(q => q.Geometry.VertexCount)))]);
        part.Geometry.Normals.Zip(mesh.Parts.SelectMany(p => p.Geometry.Normals)).ShouldAllBe(n => Vector3.Distance(n.First, n.Second) < 1e-5f);
        var expected = mesh.Parts.Aggregate(Vector3.Zero, (sum, p) => sum + (new Vector3(Rgb.ToByte(p.Material.Color.R), Rgb.ToByte(p.Material.Color.G), Rgb.ToByte(p.Material.Color.B)) * p.Geometry.VertexCount)) / (255f * mesh.VertexCount);
        Vector3.Distance(new Vector3(part.Material.Color.R, part.Material.Color.G, part.Material.Color.B), expected).ShouldBeLessThan(1e-5f);
    }

    [Fact]
    public void Ply_Ascii_FansPolygonsIntoTriangles_AndComputesNormals()
    {
        var ply = Encoding.ASCII.GetBytes("""
            ply
            format ascii 1.0
            comment a unit square as one quad
            element vertex 4
            property float x
            property float y
            property float z
            element face 1
            property list uchar int vertex_indices
            end_header
            0 0 0
            1 0 0
            1 1 0
            0 1 0
            4 0 1 2 3

            """.ReplaceLineEndings("\n"));

        var part = PlyReader.Read(ply).Parts.ShouldHaveSingleItem();

        part.Geometry.Indices.ShouldBe([0, 1, 2, 0, 2, 3]);
        part.Geometry.Normals.ShouldAllBe(n => n == Vector3.UnitZ);
        part.Material.Name.ShouldBe("ply");
    }

    [Fact]
    public void Ply_BigEndian_WithDoublesAndPropertiesAndElementsItDoesNotUse_ReadsTheTriangle()
    {
        var header = Encoding.ASCII.GetBytes(
            "ply\nformat binary_big_endian 1.0\nelement vertex 3\nproperty double x\nproperty double y\nproperty double z\nproperty float confidence\n"
            + "property list uchar short tags\nelement face 1\nproperty uchar flags\nproperty list uchar uint vertex_indices\nelement edge 1\nproperty int vertex1\nend_header\n");
        var body = new List<byte>();
        void Double(double value) => body.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(value))));
        foreach (var (x, y) in new[] { (0.0, 0.0), (2.0, 0.0), (0.0, 2.0) })
        {
            Double(x);
            Double(y);
            Double(-1);
            body.AddRange([0x3F, 0x80, 0, 0]);
            body.AddRange([2, 0, 7, 0, 9]);
        }

        body.AddRange([0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1]);

        var geometry = PlyReader.Read([.. header, .. body]).Parts.Single().Geometry;

        geometry.Positions.ShouldBe([new(0, 0, -1), new(2, 0, -1), new(0, 2, -1)]);
        geometry.Indices.ShouldBe([0, 1, 2]);
    }

    public static TheoryData<string, string> MalformedPly => new()
    {
        { "it does not start with 'ply'", "solid\n" },
        { "it has no end_header in its first 64 KB", "ply\nformat ascii 1.0\nelement vertex 3\n" },
        { "its format 'binary_middle_endian' is not ascii or binary", "ply\nformat binary_middle_endian 1.0\nend_header\n" },
        { "the property type 'quad' is not known", "ply\nformat ascii 1.0\nelement vertex 1\nproperty quad x\nend_header\n" },
        { "its header line 'property float x' is not understood", "ply\nformat ascii 1.0\nproperty float x\nend_header\n" },
        { "it has no face element", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n" },
        { "its vertices have no z", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nelement face 0\nproperty list uchar int vertex_indices\nend_header\n0 0\n" },
        { "it says 1000000 vertices but is too short for them", "ply\nformat ascii 1.0\nelement vertex 1000000\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n" },
        { "face 0 refers to vertex 3, out of range of the 3 vertices", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n" },
        { "it ends before its last element", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1\n" },
        { "'one' is not a number", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\none 0 0\n" },
        { "it has no triangles", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedPly))]
    public void Ply_Malformed_IsRefused_SayingWhy(string reason, string ply)
    {
        Should.Throw<UnreadableModelException>(() => PlyReader.Read(Encoding.ASCII.GetBytes(ply))).Message.ShouldBe($"The ply cannot be read: {reason}.");
    }

    private static IEnumerable<Vector3> Corners(Mesh mesh) =>
        mesh.Parts.SelectMany(p => p.Geometry.Indices.Select(i => p.Geometry.Positions[i]));

    private static byte[] Stl(uint count, float[] corners)
    {
        var stl = new byte[84 + (corners.Length / 9 * 50)];
        BinaryPrimitives.WriteUInt32LittleEndian(stl.AsSpan(80), count);
        for (var i = 0; i < corners.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(stl.AsSpan(84 + ((i / 9) * 50) + 12 + ((i % 9) * 4)), corners[i]);
        }

        return stl;
    }
}
