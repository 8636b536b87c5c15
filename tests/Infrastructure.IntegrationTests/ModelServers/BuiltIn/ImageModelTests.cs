using System.Numerics;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>Models built from images: the triangle budget, closed solids, shape and colour taken from the pictures.</summary>
public sealed class ImageModelTests : ImageTestBase
{
    public static TheoryData<int, int> Targets => new()
    {
        { 100, 1 }, { 1_000, 1 }, { 20_000, 1 }, { 300_000, 1 },
        { 100, 2 }, { 1_000, 2 }, { 20_000, 2 }, { 300_000, 2 },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Build_MakesAClosedSolidWithinTenPercentOfTheTargetTriangleCount(int target, int views)
    {
        var (front, right) = TestImages.TwoViews();
        byte[][] images = views == 1 ? [TestImages.PhotoLike()] : [front, right];

        var mesh = MeshOf(images, target);

        mesh.TriangleCount.ShouldBeInRange((int)(target * 0.9), (int)(target * 1.1));
        Watertight.Problem(Triangles(mesh)).ShouldBeNull();
    }

    [Theory]
    [InlineData(GenerationQuality.Draft, ImageModel.DraftTriangles)]
    [InlineData(GenerationQuality.Standard, ImageModel.StandardTriangles)]
    public void Build_WithoutATarget_MakesTheQualitysDefaultCount(GenerationQuality quality, int expected)
    {
        var mesh = MeshOf([TestImages.Mug()], quality: quality);

        mesh.TriangleCount.ShouldBeInRange((int)(expected * 0.9), (int)(expected * 1.1));
    }

    [Fact]
    public void Build_OneView_KeepsTheSilhouettesProportionsAndIsThinnerThanItIsWide()
    {
        var silhouette = TestImages.SilhouetteOf(TestImages.PhotoLike());

        var mesh = MeshOf([TestImages.PhotoLike()]);

        var (min, max) = Bounds(mesh);
        var size = max - min;
        var (width, height) = (silhouette.MaxX - silhouette.MinX + 1, silhouette.MaxY - silhouette.MinY + 1);
        size.Y.ShouldBe(1f, 1e-5f);
        (size.X / size.Y).ShouldBe((float)width / height, 0.02f);
        size.Z.ShouldBeLessThan(size.X);
        size.Z.ShouldBeGreaterThan(size.X * 0.2f);
        min.Y.ShouldBe(0f);
        ((min.X + max.X) / 2).ShouldBe(0f, 1e-5f);
        ((min.Z + max.Z) / 2).ShouldBe(0f, 1e-5f);
    }

    [Fact]
    public void Build_TwoViews_TakesTheWidthFromTheFrontAndTheDepthFromTheSide()
    {
        var (front, right) = TestImages.TwoViews();

        var mesh = MeshOf([front, right]);

        // The vase is twice as wide as it is deep, and as tall against its width as the front view shows.
        var (min, max) = Bounds(mesh);
        var size = max - min;
        (size.X / size.Z).ShouldBe(2f, 0.1f);
        size.Y.ShouldBe(1f, 1e-5f);
        var front2 = TestImages.SilhouetteOf(front);
        (size.X / size.Y).ShouldBe((float)(front2.MaxX - front2.MinX + 1) / (front2.MaxY - front2.MinY + 1), 0.03f);
    }

    [Fact]
    public void Build_PaintsEachColourOfTheObjectWhereTheImageShowsIt()
    {
        var mesh = MeshOf([TestImages.Mug()]);

        // Blue body and yellow band, nothing of the white background.
        var colours = mesh.Parts.Select(p => p.Material.Color).ToList();
        colours.ShouldContain(c => Near(c, 0x20, 0x50, 0xB0));
        colours.ShouldContain(c => Near(c, 0xF0, 0xC0, 0x20));
        colours.ShouldNotContain(c => Near(c, 0xF4, 0xF4, 0xF0));

        // The band runs from 56 to 80 pixels above the mug's foot, which is 130 pixels tall.
        var (min, max) = Bounds(mesh);
        var band = mesh.Parts.Single(p => Near(p.Material.Color, 0xF0, 0xC0, 0x20)).Geometry;
        for (var t = 0; t < band.Indices.Count; t += 3)
        {
            var centroid = (band.Positions[band.Indices[t]] + band.Positions[band.Indices[t + 1]] + band.Positions[band.Indices[t + 2]]) / 3;
            ((centroid.Y - min.Y) / (max.Y - min.Y)).ShouldBeInRange(0.40f, 0.65f);
        }
    }

    [Fact]
    public void Build_FacesWindOutwardsWithUnitNormalsAndNoDegenerateTriangles()
    {
        var (front, right) = TestImages.TwoViews();
        foreach (var images in new[] { new[] { TestImages.Mug() }, [front, right] })
        {
            var mesh = MeshOf(images, 3_000);

            foreach (var g in mesh.Parts.Select(p => p.Geometry))
            {
                g.Normals.ShouldAllBe(n => Math.Abs(n.Length() - 1) < 1e-4f);
                for (var t = 0; t < g.Indices.Count; t += 3)
                {
                    var (a, b, c) = (g.Indices[t], g.Indices[t + 1], g.Indices[t + 2]);
                    var face = Vector3.Cross(g.Positions[b] - g.Positions[a], g.Positions[c] - g.Positions[a]);
                    face.Length().ShouldBeGreaterThan(1e-12f, $"triangle {t / 3} is degenerate");
                    Vector3.Dot(face, g.Normals[a] + g.Normals[b] + g.Normals[c]).ShouldBeGreaterThan(0, $"triangle {t / 3} winds against its normals");
                }
            }
        }
    }

    [Fact]
    public void Build_AnImageWithNoObject_FailsWithAReasonForTheUser()
    {
        var failure = Should.Throw<ModelServerException>(() => MeshOf([TestImages.Square(transparent: true), TestImages.Blank()]));

        failure.Message.ShouldBe("Image 2 shows no object: nothing stands out from its background. Use a plain background or a transparent one.");
    }

    [Theory]
    [InlineData(100, 10_000)]
    [InlineData(20_000, 50)]
    [InlineData(300_000, 1_500)]
    public void PlanExtrusion_SpendsTheBudgetExactlyWithinTheOutlinesDetail(int target, int traced)
    {
        var (points, insertions) = ImageModel.PlanExtrusion(target, traced);

        points.ShouldBeInRange(8, Math.Max(8, traced / 2));
        ((4 * points) - 4 + (4 * insertions)).ShouldBeInRange(target - 2, target + 2);
    }

    [Theory]
    [InlineData(100, 1.0)]
    [InlineData(1_000, 3.0)]
    [InlineData(300_000, 8.0)]
    public void PlanLoft_SpendsTheBudgetWithinOnePercent(int target, double aspect)
    {
        var (points, rings) = ImageModel.PlanLoft(target, aspect);

        (2 * points * rings).ShouldBeInRange((int)(target * 0.99), (int)(target * 1.01));
        points.ShouldBeGreaterThanOrEqualTo(8);
        rings.ShouldBeGreaterThanOrEqualTo(2);
    }

    internal static (Vector3 Min, Vector3 Max) Bounds(Mesh mesh)
    {
        var positions = mesh.Parts.SelectMany(p => p.Geometry.Positions).ToList();
        return (positions.Aggregate(Vector3.Min), positions.Aggregate(Vector3.Max));
    }

    private static bool Near(Rgb colour, int r, int g, int b) =>
        Math.Abs((colour.R * 255) - r) + Math.Abs((colour.G * 255) - g) + Math.Abs((colour.B * 255) - b) < 40;

    internal static List<(Vector3 A, Vector3 B, Vector3 C)> Triangles(Mesh mesh)
    {
        using var stl = new MemoryStream();
        StlWriter.Write(mesh, stl);
        return Watertight.ReadStl(stl.ToArray());
    }

}
