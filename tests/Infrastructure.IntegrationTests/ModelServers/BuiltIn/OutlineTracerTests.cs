using System.Numerics;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using SkiaSharp;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class OutlineTracerTests
{
    [Fact]
    public void Trace_ASquare_FollowsItsEdgesCounterClockwise()
    {
        var silhouette = TestImages.SilhouetteOf(TestImages.Square(transparent: true));

        var dense = OutlineTracer.Trace(silhouette);

        // 4 × 120 pixel edges, their midpoints; the corners cut by an eighth of a pixel each.
        dense.Length.ShouldBe(480);
        (OutlineTracer.SignedArea(dense) / 2).ShouldBe((120 * 120) - 0.5, 1e-9);
        OutlineTracer.IsSimple(dense).ShouldBeTrue();
        dense.Min(p => p.X).ShouldBe(40f);
        dense.Max(p => p.X).ShouldBe(160f);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(32)]
    [InlineData(200)]
    public void Trace_ASquare_ToNPoints_KeepsItsArea(int count)
    {
        var outline = OutlineTracer.Trace(TestImages.SilhouetteOf(TestImages.Square(transparent: false)), count);

        outline.Length.ShouldBe(count);
        // Four points can only keep one of the two points cutting each corner: a half-pixel sliver a side goes.
        (OutlineTracer.SignedArea(outline) / 2).ShouldBe(120 * 120, count == 4 ? 120 : 1);
        OutlineTracer.IsSimple(outline).ShouldBeTrue();
    }

    [Theory]
    [InlineData(12)]
    [InlineData(48)]
    [InlineData(300)]
    public void Trace_ADisc_ToNPoints_StaysOnTheCircle(int count)
    {
        var outline = OutlineTracer.Trace(TestImages.SilhouetteOf(TestImages.Disc(transparent: true)), count);

        outline.Length.ShouldBe(count);
        OutlineTracer.IsSimple(outline).ShouldBeTrue();
        var polygonArea = 0.5 * count * 70 * 70 * Math.Sin(2 * Math.PI / count);
        (OutlineTracer.SignedArea(outline) / 2).ShouldBe(polygonArea, polygonArea * 0.03);

        // The silhouette is 100 pixels from the image's top and left, y up from its bottom (200 tall).
        outline.ShouldAllBe(p => Math.Abs(Vector2.Distance(p, new Vector2(100, 100)) - 70) < 1.5f);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(20)]
    [InlineData(100)]
    public void Trace_AnLShape_ToNPoints_KeepsItsSixCorners(int count)
    {
        var outline = OutlineTracer.Trace(TestImages.SilhouetteOf(TestImages.LShape(transparent: true)), count);

        outline.Length.ShouldBe(count);
        OutlineTracer.IsSimple(outline).ShouldBeTrue();
        (OutlineTracer.SignedArea(outline) / 2).ShouldBe(8000, 8000 * 0.01);

        // Image (x, y down) corners (40, 30), (80, 30), (80, 130), (140, 130), (140, 170), (40, 170); y up is 200 − y.
        foreach (var corner in new Vector2[] { new(40, 170), new(80, 170), new(80, 70), new(140, 70), new(140, 30), new(40, 30) })
        {
            outline.Min(p => Vector2.Distance(p, corner)).ShouldBeLessThan(1f, $"corner {corner}");
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(120)]
    public void Simplify_ATightSpiral_NeverMakesEdgesCross(int count)
    {
        // A thick spiral whose turns lie two pixels apart: dropping points freely cuts edges across the next turn.
        var spiral = TestImages.Shape(200, 200, transparent: true, c =>
        {
            using var paint = new SKPaint { Color = TestImages.Red, IsStroke = true, StrokeWidth = 6 };
            var previous = new SKPoint(100, 100);
            for (var step = 1; step <= 400; step++)
            {
                var angle = step * 0.06f;
                var radius = 4 + (8 * angle / MathF.Tau);
                var point = new SKPoint(100 + (radius * MathF.Cos(angle)), 100 + (radius * MathF.Sin(angle)));
                c.DrawLine(previous, point, paint);
                previous = point;
            }
        });
        var dense = OutlineTracer.Trace(TestImages.SilhouetteOf(spiral));

        var outline = OutlineTracer.Simplify(dense, count);

        OutlineTracer.IsSimple(outline).ShouldBeTrue();
        OutlineTracer.SignedArea(outline).ShouldBeGreaterThan(0);
        outline.Length.ShouldBeGreaterThanOrEqualTo(count);
    }

    [Fact]
    public void IsSimple_FindsCrossingAndTouchingEdges()
    {
        Vector2[] square = [new(0, 0), new(1, 0), new(1, 1), new(0, 1)];
        Vector2[] bowTie = [new(0, 0), new(1, 1), new(1, 0), new(0, 1)];
        Vector2[] touching = [new(0, 0), new(2, 0), new(2, 2), new(1, 0), new(0, 2)];

        OutlineTracer.IsSimple(square).ShouldBeTrue();
        OutlineTracer.IsSimple(bowTie).ShouldBeFalse();
        OutlineTracer.IsSimple(touching).ShouldBeFalse();
        OutlineTracer.SignedArea(square).ShouldBe(2);
        OutlineTracer.SignedArea([.. square.Reverse()]).ShouldBe(-2);
    }
}
