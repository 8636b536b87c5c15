using SkiaSharp;

namespace CleanBackend.Infrastructure.Images;

/// <summary>
/// Reads the declared size with SkiaSharp's codec, which parses the header only; no pixel is decoded. Formats
/// Skia knows besides png, jpg and webp (gif, bmp, ico…) count as unreadable.
/// </summary>
internal sealed class SkiaImageInspector : IImageInspector
{
    public static bool IsAccepted(SKEncodedImageFormat format) =>
        format is SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp;

    public ImageDimensions? ReadDimensions(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var codec = SKCodec.Create(content, out var result);
        return codec is null || result != SKCodecResult.Success || !IsAccepted(codec.EncodedFormat)
            ? null
            : new ImageDimensions(codec.Info.Width, codec.Info.Height);
    }
}
