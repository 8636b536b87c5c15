using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Infrastructure.Images;
using SkiaSharp;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>An image's pixels as straight (not premultiplied) RGBA bytes, row by row from the top.</summary>
internal sealed class RgbaImage
{
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(pixels.Length, width * height * 4);
        (Width, Height, Pixels) = (width, height, pixels);
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public int PixelCount => Width * Height;
}

/// <summary>
/// Decodes png, jpg and webp with SkiaSharp into a small working copy: the declared size is checked against
/// <see cref="ImageBudget"/> before any pixel is decoded, jpg and webp are decoded at a reduced scale where the
/// codec can, the rest is averaged down in whole-pixel boxes (no resampler whose output could change between
/// library versions), and the camera's orientation tag is applied.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Uploaded images are at most 10 MB; anything much larger did not come through an upload.</summary>
    public const int MaxEncodedBytes = 32 * 1024 * 1024;

    /// <param name="encoded">The file's bytes.</param>
    /// <param name="maxSide">The working copy's longest side at most; smaller images keep their size.</param>
    /// <param name="label">How messages name the image, e.g. "Image 2".</param>
    public static RgbaImage Decode(byte[] encoded, int maxSide, string label)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null || !SkiaImageInspector.IsAccepted(codec.EncodedFormat))
        {
            throw new ModelServerException($"{label} cannot be read: it is not a png, jpg or webp image.");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (ImageBudget.Refusal(width, height) is { } refusal)
        {
            throw new ModelServerException($"{label} is refused: {refusal}");
        }

        var size = new SKSizeI(width, height);
        var longest = Math.Max(width, height);
        if (longest > maxSide)
        {
            // The codec answers the nearest scale it can decode at (jpg in eighths, webp any); never below the working size.
            var scaled = codec.GetScaledDimensions((float)maxSide / longest);
            if (Math.Max(scaled.Width, scaled.Height) >= maxSide && scaled.Width <= width && scaled.Height <= height)
            {
                size = scaled;
            }
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        var result = codec.GetPixels(info, pixels);
        if (result != SKCodecResult.Success)
        {
            throw new ModelServerException($"{label} cannot be decoded ({result}).");
        }

        var image = Shrink(new RgbaImage(size.Width, size.Height, pixels), maxSide);
        return Orient(image, codec.EncodedOrigin);
    }

    /// <summary>
    /// Averages boxes of whole source pixels into each target pixel, colours weighted by their alpha so transparent
    /// pixels do not darken the edges.
    /// </summary>
    private static RgbaImage Shrink(RgbaImage source, int maxSide)
    {
        var longest = Math.Max(source.Width, source.Height);
        if (longest <= maxSide)
        {
            return source;
        }

        var width = Math.Max(1, (int)((long)source.Width * maxSide / longest));
        var height = Math.Max(1, (int)((long)source.Height * maxSide / longest));
        var target = new byte[width * height * 4];
        var src = source.Pixels;
        for (var y = 0; y < height; y++)
        {
            var (y0, y1) = ((int)((long)y * source.Height / height), (int)((long)(y + 1) * source.Height / height));
            for (var x = 0; x < width; x++)
            {
                var (x0, x1) = ((int)((long)x * source.Width / width), (int)((long)(x + 1) * source.Width / width));
                long r = 0, g = 0, b = 0, a = 0, count = 0;
                for (var sy = y0; sy < Math.Max(y1, y0 + 1); sy++)
                {
                    var row = sy * source.Width;
                    for (var sx = x0; sx < Math.Max(x1, x0 + 1); sx++)
                    {
                        var o = (row + sx) * 4;
                        var alpha = src[o + 3];
                        r += src[o] * alpha;
                        g += src[o + 1] * alpha;
                        b += src[o + 2] * alpha;
                        a += alpha;
                        count++;
                    }
                }

                var t = ((y * width) + x) * 4;
                if (a > 0)
                {
                    target[t] = (byte)((r + (a / 2)) / a);
                    target[t + 1] = (byte)((g + (a / 2)) / a);
                    target[t + 2] = (byte)((b + (a / 2)) / a);
                }

                target[t + 3] = (byte)((a + (count / 2)) / count);
            }
        }

        return new RgbaImage(width, height, target);
    }

    /// <summary>Turns the pixels the way the file's orientation tag (EXIF) says the picture is meant to be seen.</summary>
    private static RgbaImage Orient(RgbaImage image, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0)
        {
            return image;
        }

        var (w, h) = (image.Width, image.Height);
        var swapped = origin >= SKEncodedOrigin.LeftTop;
        var (width, height) = swapped ? (h, w) : (w, h);
        var target = new byte[image.Pixels.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // (sx, sy): the stored pixel shown at (x, y).
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                Buffer.BlockCopy(image.Pixels, ((sy * w) + sx) * 4, target, ((y * width) + x) * 4, 4);
            }
        }

        return new RgbaImage(width, height, target);
    }
}
