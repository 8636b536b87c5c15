using System.Buffers.Binary;
using System.Numerics;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>The built-in generator's text scenes with a target polycount.</summary>
public sealed class PolycountTests : BuiltInTestBase
{
    private static readonly string[] BoundedPrompts =
    [
        "a red cube",
        "a sphere",
        "a snowman",
        "a tall yellow tower with a pyramid roof",
        "a mysterious alien artifact",
        "five purple tori",
        "a flat gray plane",
        "a red sphere on a blue cube",
    ];

    public static TheoryData<string, int> PromptsAndTargets()
    {
        var data = new TheoryData<string, int>();
        foreach (var prompt in BoundedPrompts)
        {
            foreach (var target in new[] { 100, 1000, 20000 })
            {
                data.Add(prompt, target);
            }
        }

        data.Add("three red chairs around a wooden table", 1000);
        data.Add("a red car on the floor", 5000);
        data.Add("ten cones", 7777);
        return data;
    }

    public static TheoryData<string> ClosedShapes =>
    [
        "a cube", "a sphere", "a cylinder", "a cone", "a pyramid", "a torus", "a dome", "a mysterious alien artifact",
        "a snowman", "a tall yellow tower with a pyramid roof",
    ];

    [Theory]
    [MemberData(nameof(PromptsAndTargets))]
    public void Build_WithATarget_HasThatManyTrianglesWithinATenth(string prompt, int target)
    {
        var mesh = Build(prompt, target);

        mesh.TriangleCount.ShouldBeInRange((int)(target * 0.9), (int)(target * 1.1));
    }

    [Fact]
    public void Build_WithTheLargestTarget_HasThatManyTrianglesWithinATenth()
    {
        var mesh = Build("a red cube and a blue sphere", 300_000);

        mesh.TriangleCount.ShouldBeInRange(270_000, 330_000);
    }

    [Fact]
    public void Build_WhenEvenTheCoarsestFormHasMoreTriangles_MakesTheCoarsestForm()
    {
        var coarsest = Build("three red chairs around a wooden table", 1).TriangleCount;

        coarsest.ShouldBeGreaterThan(100);
        Build("three red chairs around a wooden table", 100).TriangleCount.ShouldBe(coarsest);
        Build("a sphere", 1).TriangleCount.ShouldBe(6, "a sphere's coarsest form is a bipyramid over a triangle");
    }

    [Theory]
    [InlineData(GenerationQuality.Draft, 224)]
    [InlineData(GenerationQuality.Standard, 2208)]
    public void Build_WithoutATarget_KeepsTheQualitysDetail(GenerationQuality quality, int triangles)
    {
        var spec = PromptParser.Parse("a sphere", null);

        SceneBuilder.Build(spec, 1, quality, null).TriangleCount.ShouldBe(triangles);
        SceneBuilder.Build(spec, 1, quality).TriangleCount.ShouldBe(triangles);
    }

    [Fact]
    public void Build_WithATarget_GetsItsTrianglesMostlyFromFinerCurves()
    {
        var coarse = Build("a sphere", 1000);
        var fine = Build("a sphere", 20000);

        // A finer sphere's vertices lie on the sphere; split edges' midpoints lie inside it.
        OnSphere(fine).ShouldBeGreaterThan(0.9);
        OnSphere(coarse).ShouldBeGreaterThan(0.9);
    }

    [Theory]
    [MemberData(nameof(ClosedShapes))]
    public void Build_WithOrWithoutATarget_KeepsEveryEdgeBetweenTwoTrianglesWindingOppositeWays(string prompt)
    {
        foreach (int? target in new int?[] { null, 1000, 6000 })
        {
            var mesh = SceneBuilder.Build(PromptParser.Parse(prompt, null), 3, GenerationQuality.Draft, target);
            var directed = new Dictionary<(Vector3, Vector3), int>();
            foreach (var part in mesh.Parts)
            {
                var (positions, indices) = (part.Geometry.Positions, part.Geometry.Indices);
                for (var i = 0; i < indices.Count; i++)
                {
                    var next = i % 3 == 2 ? i - 2 : i + 1;
                    var edge = (positions[indices[i]] + Vector3.Zero, positions[indices[next]] + Vector3.Zero);
                    directed[edge] = directed.GetValueOrDefault(edge) + 1;
                }
            }

            foreach (var ((from, to), count) in directed)
            {
                count.ShouldBe(1, $"{prompt} at {target}: edge {from}→{to} is used more than once in that direction");
                directed.GetValueOrDefault((to, from)).ShouldBe(1, $"{prompt} at {target}: edge {from}→{to} has no triangle on its other side");
            }
        }
    }

    [Theory]
    [InlineData("a snowman")]
    [InlineData("a table with four chairs")]
    [InlineData("a box with four wheels")]
    [InlineData("a flat gray plane")]
    public void Build_WithATarget_FacesWindOutwardsWithUnitNormalsAndNoDegenerateTriangles(string prompt)
    {
        var mesh = Build(prompt, 5000);

        foreach (var part in mesh.Parts)
        {
            var g = part.Geometry;
            g.Normals.ShouldAllBe(n => Math.Abs(n.Length() - 1) < 1e-4f);
            for (var t = 0; t < g.Indices.Count; t += 3)
            {
                var (a, b, c) = (g.Indices[t], g.Indices[t + 1], g.Indices[t + 2]);
                var face = Vector3.Cross(g.Positions[b] - g.Positions[a], g.Positions[c] - g.Positions[a]);
                face.Length().ShouldBeGreaterThan(1e-9f, $"{part.Name} triangle {t / 3} is degenerate");
                Vector3.Dot(face, g.Normals[a] + g.Normals[b] + g.Normals[c]).ShouldBeGreaterThan(0, $"{part.Name} triangle {t / 3} winds inwards");
            }
        }
    }

    [Fact]
    public void Build_WithATarget_KeepsTheLayoutAndMaterials()
    {
        var spec = PromptParser.Parse("a red sphere on a blue cube", null);

        var plain = SceneBuilder.Compose(spec, 1, GenerationQuality.Standard);
        var bounded = SceneBuilder.Compose(spec, 1, GenerationQuality.Standard, 20000);

        bounded.Mesh.Parts.Select(p => p.Material.Name).ShouldBe(plain.Mesh.Parts.Select(p => p.Material.Name));
        bounded.Objects.Select(o => (o.Shape, MathF.Round(o.Min.Y, 3), MathF.Round(o.Max.Y, 3)))
            .ShouldBe(plain.Objects.Select(o => (o.Shape, MathF.Round(o.Min.Y, 3), MathF.Round(o.Max.Y, 3))));
    }

    [Fact]
    public async Task Generate_WithATarget_WritesAnStlAndGlbOfThatManyTrianglesTheSameEachTime()
    {
        var request = Request("a red sphere on a blue cube", formats: [AssetFormat.Glb, AssetFormat.Stl]) with { TargetPolycount = 5000 };

        var first = await GenerateBytesAsync(request);
        var second = await GenerateBytesAsync(request);

        var stl = first["model.stl"];
        var triangles = BinaryPrimitives.ReadInt32LittleEndian(stl.AsSpan(StlWriter.HeaderBytes));
        triangles.ShouldBeInRange(4500, 5500);
        stl.Length.ShouldBe(StlWriter.HeaderBytes + 4 + (triangles * StlWriter.TriangleBytes));
        MeshFor(request).TriangleCount.ShouldBe(triangles);
        second["model.stl"].ShouldBe(stl);
        second["model.glb"].ShouldBe(first["model.glb"]);
    }

    private static Mesh Build(string prompt, int target) =>
        SceneBuilder.Build(PromptParser.Parse(prompt, null), 1, GenerationQuality.Standard, target);

    /// <summary>The share of the vertices on the sphere's surface (half a unit from its centre).</summary>
    private static double OnSphere(Mesh mesh)
    {
        var positions = mesh.Parts.SelectMany(p => p.Geometry.Positions).ToList();
        var centre = new Vector3(0, 0.5f, 0);
        return positions.Count(p => Math.Abs(Vector3.Distance(p, centre) - 0.5f) < 1e-4f) / (double)positions.Count;
    }
}
