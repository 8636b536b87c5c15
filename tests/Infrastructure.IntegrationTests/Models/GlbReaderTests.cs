using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;
using CleanBackend.Infrastructure.Models;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.Models;

public sealed class GlbReaderTests : BuiltInTestBase
{
    private static readonly Vector3 Forward = Vector3.UnitZ;

    public static TheoryData<string, GenerationQuality> Prompts => new()
    {
        { "a red cube", GenerationQuality.Draft },
        { "two gold donuts", GenerationQuality.Standard },
        { "a house, a tree and a car on the floor", GenerationQuality.Standard },
        { "a strange creature", GenerationQuality.Draft },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void RoundTrip_OfTheBuiltInGeneratorsGlb_GivesBackItsPartsTrianglesBoundsAndMaterials(string prompt, GenerationQuality quality)
    {
        var mesh = MeshFor(Request(prompt, quality: quality));
        using var glb = new MemoryStream();
        GlbWriter.Write(mesh, glb);

        var read = GlbReader.Read(glb.ToArray());

        read.Parts.Count.ShouldBe(mesh.Parts.Count);
        read.TriangleCount.ShouldBe(mesh.TriangleCount);
        for (var i = 0; i < mesh.Parts.Count; i++)
        {
            var (expected, actual) = (mesh.Parts[i], read.Parts[i]);
            actual.Geometry.Positions.ShouldBe(expected.Geometry.Positions);
            actual.Geometry.Indices.ShouldBe(expected.Geometry.Indices);
            actual.Geometry.Bounds().ShouldBe(expected.Geometry.Bounds());
            for (var v = 0; v < expected.Geometry.VertexCount; v++)
            {
                Vector3.Distance(actual.Geometry.Normals[v], expected.Geometry.Normals[v]).ShouldBeLessThan(1e-5f);
            }

            actual.Material.Name.ShouldBe(expected.Material.Name);
            actual.Material.Color.R.ShouldBe(expected.Material.Color.R, 1e-3f);
            actual.Material.Color.G.ShouldBe(expected.Material.Color.G, 1e-3f);
            actual.Material.Color.B.ShouldBe(expected.Material.Color.B, 1e-3f);
            actual.Material.Metallic.ShouldBe(expected.Material.Metallic, 1e-6f);
            actual.Material.Roughness.ShouldBe(expected.Material.Roughness, 1e-6f);
        }
    }

    [Theory]
    [InlineData(5121)]
    [InlineData(5123)]
    [InlineData(5125)]
    public void Indices_OfEachUnsignedType_GiveTheSameTriangles(int componentType)
    {
        var mesh = GlbReader.Read(TestGlb.Square(componentType));

        var part = mesh.Parts.ShouldHaveSingleItem();
        part.Geometry.Indices.ShouldBe(TestGlb.SquareTriangles);
        part.Geometry.Positions.ShouldBe([new(0, 0, 0), new(1, 0, 0), new(1, 1, 0), new(0, 1, 0)]);
    }

    [Fact]
    public void NonIndexed_TakesTheVerticesInThrees_ComputesNormals_AndUsesTheDefaultMaterial()
    {
        var mesh = GlbReader.Read(TestGlb.Square(indexType: null));

        var part = mesh.Parts.ShouldHaveSingleItem();
        part.Geometry.Indices.ShouldBe([0, 1, 2, 3, 4, 5]);
        part.Geometry.Normals.ShouldAllBe(n => n == Forward);
        part.Material.ShouldBe(new Material("default", new Rgb(1, 1, 1), 1, 1));
        part.Name.ShouldBe("part0_default");
    }

    [Fact]
    public void NodeTranslationRotationAndScale_PlaceTheMesh_AndTurnItsNormals()
    {
        // Scaled by 2, turned a quarter about +y (x becomes -z, +z becomes +x), then moved 10 along x.
        var glb = TestGlb.Square(nodes: """[{"mesh":0,"translation":[10,0,0],"rotation":[0,0.70710677,0,0.70710677],"scale":[2,2,2]}]""");

        var geometry = GlbReader.Read(glb).Parts.Single().Geometry;

        geometry.Positions.Select(Round).ShouldBe([new(10, 0, 0), new(10, 0, -2), new(10, 2, -2), new(10, 2, 0)]);
        geometry.Normals.Select(Round).ShouldAllBe(n => n == Vector3.UnitX);
    }

    [Fact]
    public void NodeMatrices_AreColumnMajor_AndCompose_ParentAfterChild()
    {
        // The parent moves up by 5 (its matrix's last column); the child stretches x by 3.
        var glb = TestGlb.Square(
            nodes: """[{"matrix":[1,0,0,0, 0,1,0,0, 0,0,1,0, 0,5,0,1],"children":[1]},{"mesh":0,"scale":[3,1,1]}]""");

        var geometry = GlbReader.Read(glb).Parts.Single().Geometry;

        geometry.Positions.ShouldBe([new(0, 5, 0), new(3, 5, 0), new(3, 6, 0), new(0, 6, 0)]);
    }

    [Fact]
    public void MirroringTransform_KeepsTheFacesFrontSideOut()
    {
        var geometry = GlbReader.Read(TestGlb.Square(nodes: """[{"mesh":0,"scale":[-1,1,1]}]""")).Parts.Single().Geometry;

        geometry.Positions.ShouldBe([new(0, 0, 0), new(-1, 0, 0), new(-1, 1, 0), new(0, 1, 0)]);
        for (var t = 0; t < geometry.Indices.Count; t += 3)
        {
            var (a, b, c) = (geometry.Positions[geometry.Indices[t]], geometry.Positions[geometry.Indices[t + 1]], geometry.Positions[geometry.Indices[t + 2]]);
            Vector3.Normalize(Vector3.Cross(b - a, c - a)).ShouldBe(Forward);
        }

        geometry.Normals.ShouldAllBe(n => n == Forward);
    }

    [Fact]
    public void MeshUsedByTwoNodes_IsPlacedTwice_InOnePart()
    {
        var glb = TestGlb.Square(nodes: """[{"mesh":0},{"mesh":0,"translation":[5,0,0]}]""", scenes: """[{"nodes":[0,1]}]""");

        var mesh = GlbReader.Read(glb);

        var geometry = mesh.Parts.ShouldHaveSingleItem().Geometry;
        (geometry.VertexCount, geometry.TriangleCount).ShouldBe((8, 4));
        geometry.Bounds().ShouldBe((new Vector3(0, 0, 0), new Vector3(6, 1, 0)));
        geometry.Indices.Skip(6).ShouldBe([4, 5, 6, 4, 6, 7]);
    }

    [Fact]
    public void SceneProperty_ChoosesWhichSceneIsRead()
    {
        var glb = TestGlb.Square(nodes: """[{"mesh":0},{"mesh":0,"translation":[5,0,0]}]""", scenes: """[{"nodes":[0]},{"nodes":[1]}]""", scene: 1);

        GlbReader.Read(glb).Parts.Single().Geometry.Bounds().ShouldBe((new Vector3(5, 0, 0), new Vector3(6, 1, 0)));
    }

    [Fact]
    public void WithoutScenes_EveryRootNodeIsRead_WithItsChildren()
    {
        var glb = TestGlb.Square(nodes: """[{"translation":[0,0,7],"children":[1]},{"mesh":0}]""", scenes: "[]");

        var geometry = GlbReader.Read(glb).Parts.Single().Geometry;

        (geometry.TriangleCount, geometry.Bounds()).ShouldBe((2, (new Vector3(0, 0, 7), new Vector3(1, 1, 7))));
    }

    [Theory]
    [InlineData(5, new[] { 0f, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0 })]
    [InlineData(6, new[] { 0f, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0 })]
    public void StripsAndFans_BecomeFrontFacingTriangles(int mode, float[] corners)
    {
        var json = $$"""
            {"asset":{"version":"2.0"},"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
             "meshes":[{"primitives":[{"attributes":{"POSITION":0},"mode":{{mode}}}]}],
             "accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3"}],
             "bufferViews":[{"buffer":0,"byteLength":48}],"buffers":[{"byteLength":48}]}
            """;

        var geometry = GlbReader.Read(TestGlb.Build(json, TestGlb.Floats(corners))).Parts.Single().Geometry;

        geometry.TriangleCount.ShouldBe(2);
        for (var t = 0; t < 6; t += 3)
        {
            var (a, b, c) = (geometry.Positions[geometry.Indices[t]], geometry.Positions[geometry.Indices[t + 1]], geometry.Positions[geometry.Indices[t + 2]]);
            Vector3.Normalize(Vector3.Cross(b - a, c - a)).ShouldBe(Forward);
        }

        geometry.Indices.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public void InterleavedAttributes_AreReadThroughTheByteStride_AndGivenNormalsAreKept()
    {
        var interleaved = new List<float>();
        for (var v = 0; v < 4; v++)
        {
            interleaved.AddRange(TestGlb.SquareCorners.Skip(v * 3).Take(3));
            interleaved.AddRange([0, 0, -1]);
        }

        var json = """
            {"asset":{"version":"2.0"},"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
             "meshes":[{"primitives":[{"attributes":{"POSITION":0,"NORMAL":1},"indices":2}]}],
             "accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3"},
                          {"bufferView":0,"byteOffset":12,"componentType":5126,"count":4,"type":"VEC3"},
                          {"bufferView":1,"componentType":5121,"count":6,"type":"SCALAR"}],
             "bufferViews":[{"buffer":0,"byteLength":96,"byteStride":24},{"buffer":0,"byteOffset":96,"byteLength":6}],
             "buffers":[{"byteLength":104}]}
            """;

        var geometry = GlbReader.Read(TestGlb.Build(json, [.. TestGlb.Floats([.. interleaved]), .. TestGlb.Indices(5121, TestGlb.SquareTriangles)])).Parts.Single().Geometry;

        geometry.Positions.ShouldBe([new(0, 0, 0), new(1, 0, 0), new(1, 1, 0), new(0, 1, 0)]);
        geometry.Normals.ShouldAllBe(n => n == -Forward);
    }

    [Fact]
    public void Material_BaseColorFactorIsLinear_AndReadBackAsSrgb_WithASafeName()
    {
        var glb = TestGlb.Square(materials: """[{"name":"shiny red!","pbrMetallicRoughness":{"baseColorFactor":[0.21404,0,1,1],"metallicFactor":0.25,"roughnessFactor":0.5}}]""");

        var material = GlbReader.Read(glb).Parts.Single().Material;

        material.Name.ShouldBe("shiny_red");
        material.Color.R.ShouldBe(0.5f, 1e-4f);
        (material.Color.G, material.Color.B, material.Metallic, material.Roughness).ShouldBe((0f, 1f, 0.25f, 0.5f));
    }

    [Fact]
    public void VertexColours_AreAveragedIntoThePartsColour()
    {
        // Two red and two blue corners, as normalized bytes: half red, half blue in linear terms.
        var json = """
            {"asset":{"version":"2.0"},"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
             "meshes":[{"primitives":[{"attributes":{"POSITION":0,"COLOR_0":1},"indices":2}]}],
             "accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3"},
                          {"bufferView":1,"componentType":5121,"normalized":true,"count":4,"type":"VEC4"},
                          {"bufferView":2,"componentType":5121,"count":6,"type":"SCALAR"}],
             "bufferViews":[{"buffer":0,"byteLength":48},{"buffer":0,"byteOffset":48,"byteLength":16},{"buffer":0,"byteOffset":64,"byteLength":6}],
             "buffers":[{"byteLength":72}]}
            """;
        byte[] colours = [255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255];

        var color = GlbReader.Read(TestGlb.Build(json, [.. TestGlb.Floats(TestGlb.SquareCorners), .. colours, .. TestGlb.Indices(5121, TestGlb.SquareTriangles)])).Parts.Single().Material.Color;

        color.R.ShouldBe(0.7354f, 1e-3f);
        color.G.ShouldBe(0f);
        color.B.ShouldBe(0.7354f, 1e-3f);
    }

    public static TheoryData<string, byte[]> Malformed
    {
        get
        {
            var square = TestGlb.Square();
            var positions = TestGlb.Floats(TestGlb.SquareCorners);
            byte[] Square(string json) => TestGlb.Build(json, [.. positions, .. TestGlb.Indices(5123, TestGlb.SquareTriangles)]);
            const string Head = """{"asset":{"version":"2.0"},"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],"meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1}]}],""";
            const string Accessors = """ "accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3"},{"bufferView":1,"componentType":5123,"count":6,"type":"SCALAR"}],""";
            const string Views = """ "bufferViews":[{"buffer":0,"byteLength":48},{"buffer":0,"byteOffset":48,"byteLength":12}],"buffers":[{"byteLength":60}]}""";
            return new TheoryData<string, byte[]>
            {
                { "it does not start with the binary glTF header", Encoding.ASCII.GetBytes("hello, this is not a model at all") },
                { "it is not glTF version 2", With(square, 4, 1) },
                { $"its header says {square.Length + 100} bytes but the file has {square.Length}", With(square, 8, (uint)square.Length + 100) },
                { $"its header says {square.Length} bytes but the file has {square.Length / 2}", square[..(square.Length / 2)] },
                { "its JSON chunk runs past the end of the file", With(square, 12, (uint)square.Length) },
                { "its JSON chunk is not valid JSON", TestGlb.Build("{\"asset\": {") },
                { "its JSON chunk is not an object", TestGlb.Build("[1, 2, 3]") },
                { "its asset.version is not 2.x", TestGlb.Build("""{"asset":{"version":"1.0"}}""") },
                { "it requires the extension KHR_draco_mesh_compression, which is not supported", TestGlb.Build("""{"asset":{"version":"2.0"},"extensionsRequired":["KHR_draco_mesh_compression"]}""") },
                { "its scene has no triangles", TestGlb.Build("""{"asset":{"version":"2.0"},"scenes":[{"nodes":[]}]}""") },
                { "primitive 0 of mesh 0 has no POSITION", Square(Head.Replace("\"POSITION\":0", "", StringComparison.Ordinal) + Accessors + Views) },
                { "it refers to mesh 3, which does not exist", Square(Head.Replace("{\"mesh\":0}", "{\"mesh\":3}", StringComparison.Ordinal) + Accessors + Views) },
                { "node 0 is reached twice; glTF nodes form a tree", Square(Head.Replace("[{\"mesh\":0}]", "[{\"mesh\":0,\"children\":[1]},{\"children\":[0]}]", StringComparison.Ordinal) + Accessors + Views) },
                { "node 1 is reached twice; glTF nodes form a tree", Square(Head.Replace("[{\"mesh\":0}]", "[{\"children\":[1,1,1]},{\"mesh\":0}]", StringComparison.Ordinal) + Accessors + Views) },
                { "accessor 0 reaches past the end of its bufferView", Square(Head + Accessors.Replace("\"count\":4", "\"count\":5", StringComparison.Ordinal) + Views) },
                { "accessor 0 is sparse, which is not supported", Square(Head + Accessors.Replace("\"count\":4,", "\"count\":4,\"sparse\":{},", StringComparison.Ordinal) + Views) },
                { "accessor 1 has the unknown componentType 5124", Square(Head + Accessors.Replace("5123", "5124", StringComparison.Ordinal) + Views) },
                { "the indices of primitive 0 of mesh 0 are not unsigned integers", Square(Head + Accessors.Replace("5123", "5122", StringComparison.Ordinal) + Views) },
                { "the POSITION of primitive 0 of mesh 0 is not 3 floats per vertex", Square(Head + Accessors.Replace("\"count\":4,\"type\":\"VEC3\"", "\"count\":6,\"type\":\"VEC2\"", StringComparison.Ordinal) + Views) },
                { "bufferView 0 reaches past the end of its buffer", Square(Head + Accessors + Views.Replace("\"byteLength\":48}", "\"byteLength\":64}", StringComparison.Ordinal)) },
                { "bufferView 0 has the byteStride 8, too small for accessor 0", Square(Head + Accessors + Views.Replace("\"byteLength\":48}", "\"byteLength\":48,\"byteStride\":8}", StringComparison.Ordinal)) },
                { "buffer 0 is longer than the BIN chunk", Square(Head + Accessors + Views.Replace("{\"byteLength\":60}", "{\"byteLength\":6000}", StringComparison.Ordinal)) },
                { "bufferView 0 uses a buffer outside the file, which is not supported", Square(Head + Accessors + Views.Replace("{\"byteLength\":60}", "{\"byteLength\":60,\"uri\":\"model.bin\"}", StringComparison.Ordinal)) },
                { "index 7 of primitive 0 of mesh 0 is out of range of its 4 vertices", TestGlb.Build(Head + Accessors + Views, [.. positions, .. TestGlb.Indices(5123, 0, 1, 2, 0, 2, 7)]) },
                { "a position of primitive 0 of mesh 0 is not a finite number", TestGlb.Build(Head + Accessors + Views, [.. TestGlb.Floats(0, 0, 0, float.NaN, 0, 0, 1, 1, 0, 0, 1, 0), .. TestGlb.Indices(5123, TestGlb.SquareTriangles)]) },
                { "node 0's rotation is not 4 numbers", Square(Head.Replace("{\"mesh\":0}", "{\"mesh\":0,\"rotation\":[0,0,1]}", StringComparison.Ordinal) + Accessors + Views) },
                { "'count' is not an integer", Square(Head + Accessors.Replace("\"count\":4", "\"count\":\"four\"", StringComparison.Ordinal) + Views) },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_IsRefused_SayingWhy(string reason, byte[] glb)
    {
        Should.Throw<UnreadableModelException>(() => GlbReader.Read(glb)).Message.ShouldBe($"The glb cannot be read: {reason}.");
    }

    [Fact]
    public void ModelThatExpandsPastTheVertexLimit_IsRefusedBeforeItIsBuilt()
    {
        // One primitive of 1,000 vertices placed by 3,001 nodes: 3 million vertices from a file of some 100 KB.
        var corners = Enumerable.Range(0, 1000).SelectMany(i => new[] { i % 10, i / 10 % 10, (float)(i / 100) }).ToArray();
        var (roots, nodes) = (string.Join(',', Enumerable.Range(0, 3001)), string.Join(',', Enumerable.Repeat("""{"mesh":0}""", 3001)));
        var json = $$$"""
            {"asset":{"version":"2.0"},"scenes":[{"nodes":[{{{roots}}}]}],"nodes":[{{{nodes}}}],
             "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],
             "accessors":[{"bufferView":0,"componentType":5126,"count":1000,"type":"VEC3"}],
             "bufferViews":[{"buffer":0,"byteLength":12000}],"buffers":[{"byteLength":12000}]}
            """;

        var refused = Should.Throw<UnreadableModelException>(() => GlbReader.Read(TestGlb.Build(json, TestGlb.Floats(corners))));

        refused.Message.ShouldBe($"The glb has {ModelLimits.MaxVertices + 1000} vertices, more than the {ModelLimits.MaxVertices} a preview or conversion reads.");
    }

    [Fact]
    public void SceneThatPlacesTooManyPrimitives_IsRefused()
    {
        var primitives = string.Join(',', Enumerable.Repeat("""{"attributes":{"POSITION":0}}""", 200));
        var (roots, nodes) = (string.Join(',', Enumerable.Range(0, 51)), string.Join(',', Enumerable.Repeat("""{"mesh":0}""", 51)));
        var json = $$"""
            {"asset":{"version":"2.0"},"scenes":[{"nodes":[{{roots}}]}],"nodes":[{{nodes}}],
             "meshes":[{"primitives":[{{primitives}}]}],
             "accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3"}],
             "bufferViews":[{"buffer":0,"byteLength":48}],"buffers":[{"byteLength":48}]}
            """;

        var refused = Should.Throw<UnreadableModelException>(() => GlbReader.Read(TestGlb.Build(json, TestGlb.Floats(TestGlb.SquareCorners))));

        refused.Message.ShouldBe($"The glb cannot be read: its scene places more than {ModelLimits.MaxObjects} primitives.");
    }

    [Fact]
    public void DamagedFiles_AreEitherReadOrRefusedAsUnreadable_NeverAnotherException()
    {
        var mesh = MeshFor(Request("a snowman", quality: GenerationQuality.Draft));
        using var output = new MemoryStream();
        GlbWriter.Write(mesh, output);
        var original = output.ToArray();
        var random = new Random(17);
        var (read, refused) = (0, 0);

        for (var attempt = 0; attempt < 400; attempt++)
        {
            var damaged = attempt % 4 == 0 ? original[..random.Next(original.Length)] : (byte[])original.Clone();
            for (var flips = random.Next(1, 6); flips > 0 && attempt % 4 != 0; flips--)
            {
                // Mostly in the JSON chunk, where a flipped byte changes the most.
                var at = random.Next(3) == 0 ? random.Next(damaged.Length) : random.Next(Math.Min(damaged.Length, 4000));
                damaged[at] = (byte)random.Next(256);
            }

            try
            {
                GlbReader.Read(damaged);
                read++;
            }
            catch (UnreadableModelException)
            {
                refused++;
            }
        }

        (read + refused).ShouldBe(400);
        refused.ShouldBeGreaterThan(100);
    }

    private static byte[] With(byte[] glb, int at, uint value)
    {
        var copy = (byte[])glb.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static Vector3 Round(Vector3 v) => new(MathF.Round(v.X, 4), MathF.Round(v.Y, 4), MathF.Round(v.Z, 4));
}
