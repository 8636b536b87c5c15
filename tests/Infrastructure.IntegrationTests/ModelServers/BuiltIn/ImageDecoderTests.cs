using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Infrastructure.Images;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using SkiaSharp;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class ImageDecoderTests
{
    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 1000, 500, 384, 192)]
    [InlineData(SKEncodedImageFormat.Jpeg, 3000, 1500, 384, 192)]
    [InlineData(SKEncodedImageFormat.Webp, 600, 1200, 192, 384)]
    [InlineData(SKEncodedImageFormat.Png, 300, 200, 300, 200)]
    public void Decode_ShrinksToTheWorkingSizeAndKeepsTheColours(SKEncodedImageFormat format, int width, int height, int expectedWidth, int expectedHeight)
    {
        var encoded = TestImages.Shape(width, height, transparent: false, c => c.DrawRect(0, 0, width / 2f, height, new SKPaint { Color = TestImages.Red }), format);

        var image = ImageDecoder.Decode(encoded, 384, "Image 1");

        (image.Width, image.Height).ShouldBe((expectedWidth, expectedHeight));
        Colour(image, image.Width / 4, image.Height / 2).ShouldBe((TestImages.Red.Red, TestImages.Red.Green, TestImages.Red.Blue, (byte)255), tolerance: 8);
        Colour(image, image.Width * 3 / 4, image.Height / 2).ShouldBe((TestImages.White.Red, TestImages.White.Green, TestImages.White.Blue, (byte)255), tolerance: 8);
    }

    [Fact]
    public void Decode_AJpegWithAnOrientationTag_TurnsItUpright()
    {
        // Stored 40×20, left half red; EXIF orientation 6 says: turn a quarter clockwise to show it.
        var jpeg = TestImages.Shape(40, 20, transparent: false, c => c.DrawRect(0, 0, 20, 20, new SKPaint { Color = TestImages.Red }), SKEncodedImageFormat.Jpeg);
        byte[] exif =
        [
            0xFF, 0xE1, 0, 34, .. "Exif\0\0"u8, .. "II"u8, 0x2A, 0, 8, 0, 0, 0,
            1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0,
        ];
        byte[] tagged = [.. jpeg[..2], .. exif, .. jpeg[2..]];

        var image = ImageDecoder.Decode(tagged, 384, "Image 1");

        (image.Width, image.Height).ShouldBe((20, 40));
        Colour(image, 10, 8).ShouldBe((TestImages.Red.Red, TestImages.Red.Green, TestImages.Red.Blue, (byte)255), tolerance: 24);
        Colour(image, 10, 32).ShouldBe((TestImages.White.Red, TestImages.White.Green, TestImages.White.Blue, (byte)255), tolerance: 24);
    }

    [Theory]
    [InlineData(50_000, 50_000)]
    [InlineData(20_000, 100)]
    public void Decode_AnImageDeclaringMoreThanTheBudget_IsRefusedBeforeDecoding(int width, int height)
    {
        var bomb = TestImages.PngDeclaring(width, height);

        var refused = Should.Throw<ModelServerException>(() => ImageDecoder.Decode(bomb, 384, "Image 2"));

        bomb.Length.ShouldBeLessThan(120);
        refused.Message.ShouldBe($"Image 2 is refused: The image declares {width}×{height} pixels; at most 40 megapixels and 16384 pixels a side are accepted.");
    }

    [Theory]
    [InlineData("not a picture at all")]
    [InlineData("GIF89a, a format Skia reads but the service does not take")]
    public void Decode_BytesThatAreNoPngJpgOrWebp_FailWithAClearMessage(string content)
    {
        var refused = Should.Throw<ModelServerException>(() => ImageDecoder.Decode(System.Text.Encoding.ASCII.GetBytes(content), 384, "Image 1"));

        refused.Message.ShouldBe("Image 1 cannot be read: it is not a png, jpg or webp image.");
    }

    [Fact]
    public void Inspector_ReadsTheDeclaredSizeWithoutDecoding()
    {
        var inspector = new SkiaImageInspector();

        inspector.ReadDimensions(new MemoryStream(TestImages.PngDeclaring(50_000, 40_000))).ShouldBe(new Application.Common.Interfaces.ImageDimensions(50_000, 40_000));
        inspector.ReadDimensions(new MemoryStream(TestImages.Square(transparent: true))).ShouldBe(new Application.Common.Interfaces.ImageDimensions(200, 200));
        inspector.ReadDimensions(new MemoryStream("GIF89a, or anything else"u8.ToArray())).ShouldBeNull();
    }

    private static (byte R, byte G, byte B, byte A) Colour(RgbaImage image, int x, int y)
    {
        var o = ((y * image.Width) + x) * 4;
        return (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2], image.Pixels[o + 3]);
    }
}

internal static class ColourAssertions
{
    public static void ShouldBe(this (byte R, byte G, byte B, byte A) actual, (byte R, byte G, byte B, byte A) expected, int tolerance)
    {
        Math.Abs(actual.R - expected.R).ShouldBeLessThanOrEqualTo(tolerance, $"red of {actual}");
        Math.Abs(actual.G - expected.G).ShouldBeLessThanOrEqualTo(tolerance, $"green of {actual}");
        Math.Abs(actual.B - expected.B).ShouldBeLessThanOrEqualTo(tolerance, $"blue of {actual}");
        actual.A.ShouldBe(expected.A);
    }
}
