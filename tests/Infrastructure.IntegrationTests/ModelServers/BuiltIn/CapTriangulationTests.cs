using System.Numerics;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class CapTriangulationTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var shape in new[] { "L", "disc", "mug", "photo" })
        {
            foreach (var (points, insertions) in new[] { (8, 0), (40, 0), (40, 25), (300, 2_000) })
            {
                data.Add(shape, points, insertions);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_TilesThePolygonExactlyWithTheCountAsked(string shape, int points, int insertions)
    {
        var polygon = OutlineTracer.Trace(TestImages.SilhouetteOf(Image(shape)), points);

        var cap = CapTriangulation.Build(polygon, insertions);

        cap.TriangleCount.ShouldBe(polygon.Length - 2 + (2 * insertions));
        var p = cap.Points;
        p.Take(polygon.Length).ShouldBe(polygon);
        var total = 0.0;
        var edges = new Dictionary<(int, int), int>();
        for (var t = 0; t < cap.Corners.Count; t += 3)
        {
            var (a, b, c) = (cap.Corners[t], cap.Corners[t + 1], cap.Corners[t + 2]);
            var area = Cross(p[a], p[b], p[c]) / 2;
            area.ShouldBeGreaterThan(0, $"triangle {t / 3} is not counter-clockwise");
            total += area;
            foreach (var edge in new[] { (a, b), (b, c), (c, a) })
            {
                edges[edge] = edges.GetValueOrDefault(edge) + 1;
            }
        }

        total.ShouldBe(OutlineTracer.SignedArea(polygon) / 2, Math.Abs(total) * 1e-6);

        // Each polygon edge is one triangle's; every other edge is run both ways, once each (no overlap, no gap).
        for (var i = 0; i < polygon.Length; i++)
        {
            edges.GetValueOrDefault((i, (i + 1) % polygon.Length)).ShouldBe(1);
            edges.ContainsKey(((i + 1) % polygon.Length, i)).ShouldBeFalse();
        }

        foreach (var ((from, to), count) in edges)
        {
            count.ShouldBe(1);
            var onOutline = to == (from + 1) % polygon.Length && from < polygon.Length && to < polygon.Length;
            (onOutline || edges.ContainsKey((to, from))).ShouldBeTrue($"edge {from}→{to} has a triangle on one side only");
        }
    }

    [Fact]
    public void Build_FlipsThinEarClippingTrianglesTowardsDelaunay()
    {
        var disc = OutlineTracer.Trace(TestImages.SilhouetteOf(TestImages.Disc(transparent: true)), 64);

        var cap = CapTriangulation.Build(disc, 0);

        // Ear clipping alone fans out slivers; after the flips the smallest angle of a 64-gon's triangulation is fair.
        var p = cap.Points;
        var smallest = double.MaxValue;
        for (var t = 0; t < cap.Corners.Count; t += 3)
        {
            for (var k = 0; k < 3; k++)
            {
                var (o, a, b) = (p[cap.Corners[t + k]], p[cap.Corners[t + ((k + 1) % 3)]], p[cap.Corners[t + ((k + 2) % 3)]]);
                smallest = Math.Min(smallest, Math.Acos(Vector2.Dot(Vector2.Normalize(a - o), Vector2.Normalize(b - o))));
            }
        }

        (smallest * 180 / Math.PI).ShouldBeGreaterThan(2);
    }

    internal static byte[] Image(string shape) => shape switch
    {
        "L" => TestImages.LShape(transparent: true),
        "disc" => TestImages.Disc(transparent: false),
        "mug" => TestImages.Mug(),
        _ => TestImages.PhotoLike(),
    };

    private static double Cross(Vector2 o, Vector2 a, Vector2 b) => ((double)(a.X - o.X) * (b.Y - o.Y)) - ((double)(a.Y - o.Y) * (b.X - o.X));
}
