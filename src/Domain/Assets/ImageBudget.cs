namespace CleanBackend.Domain.Assets;

/// <summary>
/// The largest image the service decodes. A few kilobytes of png can declare billions of pixels (a decompression
/// bomb), so the declared size is checked against this budget before any pixel is decoded: at upload and again
/// before a generator reads an image.
/// </summary>
public static class ImageBudget
{
    /// <summary>40 megapixels: more than a phone camera's photo, 160 MB once decoded.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>The longest side any of the image formats can usefully carry.</summary>
    public const int MaxSide = 16_384;

    /// <summary>Why an image of this declared size is refused, or null when it is within the budget.</summary>
    public static string? Refusal(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            return "The image declares no pixels.";
        }

        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            return $"The image declares {width}×{height} pixels; at most {MaxPixels / 1_000_000} megapixels and {MaxSide} pixels a side are accepted.";
        }

        return null;
    }
}
