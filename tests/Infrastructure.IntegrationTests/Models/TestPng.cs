using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CleanBackend.Infrastructure.IntegrationTests.Models;

/// <summary>Decodes an 8-bit RGBA PNG (every row filter) to check what a preview shows.</summary>
public static class TestPng
{
    public static (int Width, int Height, byte[] Rgba) Decode(byte[] png)
    {
        png.AsSpan(0, 8).ToArray().ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var (width, height) = (0, 0);
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                data[8..13].ToArray().ShouldBe(new byte[] { 8, 6, 0, 0, 0 }, "8-bit RGBA, not interlaced");
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        return (width, height, Unfilter(Inflate(idat.ToArray()), width, height));
    }

    public static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Reverses all five PNG row filters for 4 bytes per pixel.</summary>
    public static byte[] Unfilter(byte[] data, int width, int height)
    {
        var stride = width * 4;
        data.Length.ShouldBe(height * (stride + 1));
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                int raw = data[(y * (stride + 1)) + 1 + i];
                int left = i >= 4 ? pixels[(y * stride) + i - 4] : 0;
                int up = y > 0 ? pixels[((y - 1) * stride) + i] : 0;
                int upLeft = y > 0 && i >= 4 ? pixels[((y - 1) * stride) + i - 4] : 0;
                pixels[(y * stride) + i] = (byte)(filter switch
                {
                    0 => raw,
                    1 => raw + left,
                    2 => raw + up,
                    3 => raw + ((left + up) / 2),
                    4 => raw + Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}"),
                });
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
