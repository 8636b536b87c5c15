using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Net;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Real PNG images the tests draw themselves (a shape on a plain background), and uploading them.</summary>
public static class TestImages
{
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);

    /// <summary>A red disc on a white background: an object on a plain backdrop, as a user would photograph it.</summary>
    public static byte[] RedDisc(int size = 48) => Png(size, size, (x, y) =>
    {
        var (dx, dy) = (x - (size / 2.0) + 0.5, y - (size / 2.0) + 0.5);
        return (dx * dx) + (dy * dy) <= size * size / 9.0 ? ((byte)220, (byte)30, (byte)30) : White;
    });

    /// <summary>A blue square on a white background: another view for the tests that send two.</summary>
    public static byte[] BlueSquare(int size = 48) => Png(size, size, (x, y) =>
        x > size / 4 && x < size * 3 / 4 && y > size / 4 && y < size * 3 / 4 ? ((byte)30, (byte)60, (byte)200) : White);

    /// <summary>An 8-bit RGB PNG: signature, IHDR, one zlib IDAT of unfiltered rows, IEND.</summary>
    public static byte[] Png(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR"u8, header);

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0);
                for (var x = 0; x < width; x++)
                {
                    var (r, g, b) = pixel(x, y);
                    zlib.Write([r, g, b]);
                }
            }
        }

        Chunk(png, "IDAT"u8, pixels.ToArray());
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>Uploads <paramref name="png"/> with <paramref name="client"/> and returns the new asset's id.</summary>
    public static async Task<Guid> UploadAsync(this HttpClient client, byte[] png, string fileName = "photo.png") =>
        (await (await client.PostAsync("/api/assets", SampleFiles.Form(png, fileName, "image/png"))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static void Chunk(Stream png, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(field, data.Length);
        png.Write(field);
        png.Write(type);
        png.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(field, crc.GetCurrentHashAsUInt32());
        png.Write(field);
    }
}
