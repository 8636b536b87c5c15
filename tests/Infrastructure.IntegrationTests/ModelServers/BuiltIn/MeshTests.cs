using System.Numerics;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class MeshTests
{
    public static TheoryData<string> Prompts =>
    [
        "a cube", "a sphere", "a cylinder", "a cone", "a pyramid", "a torus", "a plane", "a table", "a chair",
        "a tree", "a house", "a snowman", "a car", "a weird thing", "three tall cubes and a flat sphere on the floor",
        "a dome", "a tower", "a red sphere on a blue cube", "three red chairs around a wooden table",
        "a tall yellow tower with a pyramid roof", "a ball under a table", "a stack of three boxes", "six spheres in a circle",
        "a house with a dome roof", "a box with four wheels, a handle and a lid", "a red dragon beside a tree",
    ];

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Build_FacesWindOutwardsWithUnitNormalsAndNoDegenerateTriangles(string prompt)
    {
        foreach (var quality in new[] { GenerationQuality.Draft, GenerationQuality.Standard })
        {
            var mesh = SceneBuilder.Build(PromptParser.Parse(prompt, null), 3, quality);

            mesh.Parts.ShouldNotBeEmpty();
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
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Build_StandsOnTheGround(string prompt)
    {
        var mesh = SceneBuilder.Build(PromptParser.Parse(prompt, null), 3, GenerationQuality.Draft);

        mesh.Parts.SelectMany(p => p.Geometry.Positions).Min(p => p.Y).ShouldBe(0f, 1e-5f);
    }

    [Theory]
    [InlineData("a sphere")]
    [InlineData("a torus")]
    [InlineData("a snowman")]
    [InlineData("a weird thing")]
    public void Build_DraftHasFewerTrianglesThanStandard(string prompt)
    {
        var spec = PromptParser.Parse(prompt, null);

        SceneBuilder.Build(spec, 1, GenerationQuality.Draft).TriangleCount
            .ShouldBeLessThan(SceneBuilder.Build(spec, 1, GenerationQuality.Standard).TriangleCount);
    }

    [Fact]
    public void Build_CountsBecomeSeparateObjectsCappedAtTen()
    {
        var one = SceneBuilder.Build(PromptParser.Parse("a cube", null), 1, GenerationQuality.Draft);
        var three = SceneBuilder.Build(PromptParser.Parse("three cubes", null), 1, GenerationQuality.Draft);
        var many = SceneBuilder.Build(PromptParser.Parse("six cubes and six spheres", null), 1, GenerationQuality.Draft);

        three.TriangleCount.ShouldBe(3 * one.TriangleCount);
        var sphere = SceneBuilder.Build(PromptParser.Parse("a sphere", null), 1, GenerationQuality.Draft).TriangleCount;
        many.TriangleCount.ShouldBe((6 * one.TriangleCount) + (4 * sphere));
    }

    [Fact]
    public void Build_OnePartPerMaterialWithTheNamedColour()
    {
        var mesh = SceneBuilder.Build(PromptParser.Parse("a red cube and a red sphere and a blue cone", null), 1, GenerationQuality.Draft);

        mesh.Parts.Select(p => p.Material.Name).ShouldBe(["red", "blue"]);
    }

    [Fact]
    public void Build_CompoundObjectsHaveSeveralMaterials()
    {
        var snowman = SceneBuilder.Build(PromptParser.Parse("a snowman", null), 1, GenerationQuality.Draft);
        var car = SceneBuilder.Build(PromptParser.Parse("a blue car", null), 1, GenerationQuality.Draft);

        snowman.Parts.Count.ShouldBeGreaterThanOrEqualTo(3);
        car.Parts[0].Material.Name.ShouldBe("blue");
        car.Parts.Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public void Build_NeverPicksAColourTheNegativePromptNames()
    {
        const string Excluded = "red green blue yellow orange purple pink cyan teal lime magenta";
        for (var seed = 0; seed < 20; seed++)
        {
            var mesh = SceneBuilder.Build(PromptParser.Parse("a cube", Excluded), seed, GenerationQuality.Draft);
            mesh.Parts.ShouldHaveSingleItem().Material.Name.ShouldBe("gold");
        }
    }

    [Fact]
    public void Build_GroundPlaneSpansEveryObject()
    {
        var mesh = SceneBuilder.Build(PromptParser.Parse("four cubes on a green floor", null), 1, GenerationQuality.Draft);

        var ground = mesh.Parts.Single(p => p.Material.Name == "green").Geometry.Bounds();
        var cubes = mesh.Parts.Where(p => p.Material.Name != "green").Select(p => p.Geometry.Bounds()).ToList();
        cubes.ShouldAllBe(b => b.Min.X > ground.Min.X && b.Max.X < ground.Max.X && b.Min.Z > ground.Min.Z && b.Max.Z < ground.Max.Z);
    }
}
