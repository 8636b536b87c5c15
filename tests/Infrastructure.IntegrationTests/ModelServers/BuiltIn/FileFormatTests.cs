using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.Models;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>Reads each generated file back with an independent parser and checks it against the mesh.</summary>
public sealed class FileFormatTests : BuiltInTestBase
{
    public static TheoryData<string, GenerationQuality> Prompts => new()
    {
        { "a red cube", GenerationQuality.Draft },
        { "two gold donuts", GenerationQuality.Standard },
        { "a house, a tree and a car on the floor", GenerationQuality.Standard },
        { "a strange creature", GenerationQuality.Draft },
        { "a red sphere on a blue cube and a box with wheels", GenerationQuality.Standard },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Obj_ParsesBackWithTheMeshCountsInRangeIndicesAndKnownMaterials(string prompt, GenerationQuality quality)
    {
        var request = Request(prompt, quality: quality);
        var files = await GenerateBytesAsync(request);
        var mesh = MeshFor(request);

        var obj = Lines(files["model.obj"]);
        var mtl = Lines(files["model.mtl"]);
        var vertices = obj.Count(l => l.StartsWith("v ", StringComparison.Ordinal));
        var normals = obj.Count(l => l.StartsWith("vn ", StringComparison.Ordinal));
        var faces = obj.Where(l => l.StartsWith("f ", StringComparison.Ordinal)).ToList();

        vertices.ShouldBe(mesh.VertexCount);
        normals.ShouldBe(mesh.VertexCount);
        faces.Count.ShouldBe(mesh.TriangleCount);
        obj.ShouldContain("mtllib model.mtl");
        foreach (var face in faces)
        {
            var corners = face.Split(' ')[1..];
            corners.Length.ShouldBe(3, face);
            foreach (var corner in corners)
            {
                var parts = corner.Split('/');
                parts.Length.ShouldBe(3, face);
                parts[1].ShouldBeEmpty(face);
                int.Parse(parts[0], CultureInfo.InvariantCulture).ShouldBeInRange(1, vertices, face);
                int.Parse(parts[2], CultureInfo.InvariantCulture).ShouldBeInRange(1, normals, face);
            }
        }

        foreach (var line in obj.Where(l => l.StartsWith("v ", StringComparison.Ordinal) || l.StartsWith("vn ", StringComparison.Ordinal)))
        {
            foreach (var number in line.Split(' ')[1..])
            {
                double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var _).ShouldBeTrue(line);
            }
        }

        var defined = mtl.Where(l => l.StartsWith("newmtl ", StringComparison.Ordinal)).Select(l => l[7..]).ToList();
        var used = obj.Where(l => l.StartsWith("usemtl ", StringComparison.Ordinal)).Select(l => l[7..]).ToList();
        used.Count.ShouldBe(mesh.Parts.Count);
        defined.ShouldBeUnique();
        used.ShouldAllBe(name => defined.Contains(name));
        foreach (var key in new[] { "Kd ", "Ka ", "Ks ", "d ", "illum " })
        {
            mtl.Count(l => l.StartsWith(key, StringComparison.Ordinal)).ShouldBe(defined.Count, key);
        }
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Ply_HeaderCountsAndBinaryPayloadMatchTheMesh(string prompt, GenerationQuality quality)
    {
        var request = Request(prompt, quality: quality);
        var ply = (await GenerateBytesAsync(request))["model.ply"];
        var mesh = MeshFor(request);

        var end = IndexOf(ply, "end_header\n"u8) + "end_header\n".Length;
        var header = Encoding.ASCII.GetString(ply, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        header[0].ShouldBe("ply");
        header[1].ShouldBe("format binary_little_endian 1.0");
        header.ShouldContain($"element vertex {mesh.VertexCount}");
        header.ShouldContain($"element face {mesh.TriangleCount}");
        header.Where(l => l.StartsWith("property ", StringComparison.Ordinal)).ShouldBe(
        [
            "property float x", "property float y", "property float z",
            "property float nx", "property float ny", "property float nz",
            "property uchar red", "property uchar green", "property uchar blue",
            "property list uchar int vertex_indices",
        ]);

        var payload = ply.AsSpan(end);
        payload.Length.ShouldBe((mesh.VertexCount * 27) + (mesh.TriangleCount * 13));
        for (var v = 0; v < mesh.VertexCount; v++)
        {
            var normal = new Vector3(
                BinaryPrimitives.ReadSingleLittleEndian(payload[((v * 27) + 12)..]),
                BinaryPrimitives.ReadSingleLittleEndian(payload[((v * 27) + 16)..]),
                BinaryPrimitives.ReadSingleLittleEndian(payload[((v * 27) + 20)..]));
            normal.Length().ShouldBe(1f, 1e-4f);
        }

        var faces = payload[(mesh.VertexCount * 27)..];
        for (var f = 0; f < mesh.TriangleCount; f++)
        {
            faces[f * 13].ShouldBe((byte)3);
            for (var k = 0; k < 3; k++)
            {
                BinaryPrimitives.ReadInt32LittleEndian(faces[((f * 13) + 1 + (k * 4))..]).ShouldBeInRange(0, mesh.VertexCount - 1);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Png_DecodesWithValidCrcsToA256SquareThatShowsTheModel(string prompt, GenerationQuality quality)
    {
        var png = (await GenerateBytesAsync(Request(prompt, quality: quality)))["preview.png"];

        png.AsSpan(0, 8).ToArray().ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var chunks = new List<(string Type, byte[] Data)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)).ShouldBe(BitwiseCrc32(typeAndData), "CRC of a chunk");
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            at += 12 + length;
        }

        chunks[0].Type.ShouldBe("IHDR");
        chunks[^1].ShouldSatisfyAllConditions(c => c.Type.ShouldBe("IEND"), c => c.Data.ShouldBeEmpty());
        var ihdr = chunks[0].Data;
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(ihdr), BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        (width, height).ShouldBe((256, 256));
        ihdr[8..].ShouldBe(new byte[] { 8, 6, 0, 0, 0 });

        var pixels = TestPng.Unfilter(TestPng.Inflate(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray()), width, height);
        var opaque = Enumerable.Range(0, width * height).Count(i => pixels[(i * 4) + 3] == 255);
        opaque.ShouldBeGreaterThan(width * height / 20, "the model covers part of the picture");
        pixels[3].ShouldBe((byte)0, "the corners stay transparent");
    }

    [Fact]
    public void Png_OfATinyImage_HasTheExactHeaderAndEndChunksWithTheirCrcs()
    {
        using var output = new MemoryStream();

        PngEncoder.Write(2, 1, [255, 0, 0, 255, 0, 0, 255, 128], output);

        var png = output.ToArray();
        Convert.ToHexString(png, 0, 33).ShouldBe(
            "89504E470D0A1A0A" + "0000000D" + "49484452" + "00000002" + "00000001" + "0806000000" + "F4227F8A");
        Convert.ToHexString(png, png.Length - 12, 12).ShouldBe("00000000" + "49454E44" + "AE426082");
        var idatLength = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
        png.Length.ShouldBe(33 + 12 + idatLength + 12);
        Encoding.ASCII.GetString(png, 37, 4).ShouldBe("IDAT");
        BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(41 + idatLength)).ShouldBe(BitwiseCrc32(png.AsSpan(37, 4 + idatLength)));
        TestPng.Unfilter(TestPng.Inflate(png[41..(41 + idatLength)]), 2, 1).ShouldBe(new byte[] { 255, 0, 0, 255, 0, 0, 255, 128 });
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Glb_HasAValidContainerAndAccessorsMatchingTheMesh(string prompt, GenerationQuality quality)
    {
        var request = Request(prompt, quality: quality);
        var glb = (await GenerateBytesAsync(request))["model.glb"];
        var mesh = MeshFor(request);

        BinaryPrimitives.ReadUInt32LittleEndian(glb).ShouldBe(0x46546C67u);
        BinaryPrimitives.ReadUInt32LittleEndian(glb.AsSpan(4)).ShouldBe(2u);
        BinaryPrimitives.ReadUInt32LittleEndian(glb.AsSpan(8)).ShouldBe((uint)glb.Length);
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(glb.AsSpan(12));
        (jsonLength % 4).ShouldBe(0);
        Encoding.ASCII.GetString(glb, 16, 4).ShouldBe("JSON");
        var binAt = 20 + jsonLength;
        var binLength = BinaryPrimitives.ReadInt32LittleEndian(glb.AsSpan(binAt));
        (binLength % 4).ShouldBe(0);
        Encoding.ASCII.GetString(glb, binAt + 4, 4).ShouldBe("BIN\0");
        (binAt + 8 + binLength).ShouldBe(glb.Length);

        using var json = JsonDocument.Parse(glb.AsMemory(20, jsonLength));
        var root = json.RootElement;
        root.GetProperty("asset").GetProperty("version").GetString().ShouldBe("2.0");
        var primitives = root.GetProperty("meshes")[0].GetProperty("primitives");
        primitives.GetArrayLength().ShouldBe(mesh.Parts.Count);
        root.GetProperty("materials").GetArrayLength().ShouldBe(mesh.Parts.Count);
        var accessors = root.GetProperty("accessors");
        for (var i = 0; i < mesh.Parts.Count; i++)
        {
            var position = accessors[primitives[i].GetProperty("attributes").GetProperty("POSITION").GetInt32()];
            position.GetProperty("count").GetInt32().ShouldBe(mesh.Parts[i].Geometry.VertexCount);
            position.GetProperty("min").GetArrayLength().ShouldBe(3);
            accessors[primitives[i].GetProperty("indices").GetInt32()].GetProperty("count").GetInt32().ShouldBe(mesh.Parts[i].Geometry.Indices.Count);
        }
    }

    private static List<string> Lines(byte[] text) => [.. Encoding.UTF8.GetString(text).Split('\n')];

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>A bit-at-a-time CRC-32, independent of the generator's table-driven one.</summary>
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
