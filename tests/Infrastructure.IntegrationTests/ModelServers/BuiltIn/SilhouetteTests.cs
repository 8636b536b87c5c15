using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using SkiaSharp;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class SilhouetteTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Find_ADisc_IsWhereItWasDrawn(bool transparent)
    {
        var image = TestImages.Disc(transparent);

        var silhouette = TestImages.SilhouetteOf(image);

        silhouette.FromAlpha.ShouldBe(transparent);
        ((double)silhouette.Area).ShouldBe(Math.PI * 70 * 70, Math.PI * 70 * 70 * 0.02);
        Overlap(silhouette.Inside, TestImages.Drawn(image)).ShouldBeGreaterThan(0.98);
        (silhouette.MinX, silhouette.MinY, silhouette.MaxX, silhouette.MaxY).ShouldBe((30, 30, 169, 169));
    }

    [Fact]
    public void Find_AnImageWithAnAlphaChannelThatIsAllOpaque_UsesTheBackgroundColour()
    {
        // A png with an alpha channel, every pixel opaque: the alpha says nothing, the colours do.
        var image = TestImages.Shape(160, 160, transparent: false, c => c.DrawRect(40, 40, 80, 80, new SKPaint { Color = new SKColor(0x10, 0x10, 0x10) }));

        var silhouette = TestImages.SilhouetteOf(image);

        silhouette.FromAlpha.ShouldBeFalse();
        silhouette.Area.ShouldBe(80 * 80);
    }

    [Fact]
    public void Find_APhotoOnANoisyGradient_FindsTheObjectAndNotTheBackdrop()
    {
        var silhouette = TestImages.SilhouetteOf(TestImages.PhotoLike());

        silhouette.FromAlpha.ShouldBeFalse();
        Overlap(silhouette.Inside, VaseMask()).ShouldBeGreaterThan(0.95);
    }

    [Fact]
    public void Find_KeepsOnlyTheLargestPartAndFillsItsHoles()
    {
        // A ring (its hole is background) and a small separate square.
        var image = TestImages.Shape(200, 200, transparent: true, c =>
        {
            using var ring = new SKPaint { Color = TestImages.Red, IsStroke = true, StrokeWidth = 20 };
            c.DrawCircle(90, 100, 60, ring);
            c.DrawRect(170, 20, 15, 15, new SKPaint { Color = TestImages.Red });
        });

        var silhouette = TestImages.SilhouetteOf(image);

        // The filled ring is a disc of radius 70; the square is gone, and only the ring's pixels show the object.
        ((double)silhouette.Area).ShouldBe(Math.PI * 70 * 70, Math.PI * 70 * 70 * 0.02);
        silhouette.MaxX.ShouldBeLessThan(165);
        ((double)silhouette.Seen.Count(s => s)).ShouldBe(Math.PI * ((70 * 70) - (50 * 50)), Math.PI * ((70 * 70) - (50 * 50)) * 0.03);
        silhouette[90, 100].ShouldBeTrue();
        silhouette.Seen[(100 * 200) + 90].ShouldBeFalse();
    }

    [Fact]
    public void Find_AnObjectTouchingTheBorder_StillFindsTheBackgroundFromTheRestOfTheBorder()
    {
        // A bar standing on the bottom edge, as a photo cut off at the object's foot is.
        var image = TestImages.Shape(200, 200, transparent: false, c => c.DrawRect(70, 50, 60, 150, new SKPaint { Color = TestImages.Red }));

        var silhouette = TestImages.SilhouetteOf(image);

        silhouette.Area.ShouldBe(60 * 150);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Find_WithNothingStandingOut_ReturnsNull(bool transparent)
    {
        var image = TestImages.Shape(120, 120, transparent, c => c.DrawRect(10, 10, 3, 3, new SKPaint { Color = TestImages.Red }));

        Silhouette.Find(TestImages.Decode(image)).ShouldBeNull();
        Silhouette.Find(TestImages.Decode(TestImages.Blank())).ShouldBeNull();
    }

    /// <summary>The share of pixels set in either mask that are set in both.</summary>
    private static double Overlap(bool[] a, bool[] b)
    {
        a.Length.ShouldBe(b.Length);
        var (both, either) = (0, 0);
        for (var i = 0; i < a.Length; i++)
        {
            both += a[i] && b[i] ? 1 : 0;
            either += a[i] || b[i] ? 1 : 0;
        }

        return (double)both / either;
    }

    private static bool[] VaseMask()
    {
        using var bitmap = new SKBitmap(320, 400);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var path = TestImages.VaseOutline(160, 60, 340, 70);
            canvas.DrawPath(path, new SKPaint { Color = SKColors.Black, IsAntialias = true });
        }

        return [.. bitmap.Pixels.Select(p => p.Alpha >= 128)];
    }
}
