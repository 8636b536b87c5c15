namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Reads an image's header without decoding its pixels.</summary>
public interface IImageInspector
{
    /// <summary>The declared size of the png, jpg or webp in <paramref name="content"/>, or null when it cannot be read as one.</summary>
    ImageDimensions? ReadDimensions(Stream content);
}

/// <summary>An image's declared size.</summary>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
public sealed record ImageDimensions(int Width, int Height);
