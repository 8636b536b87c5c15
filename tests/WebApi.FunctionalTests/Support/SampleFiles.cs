using System.Buffers.Binary;
using System.IO.Hashing;
using System.Net.Http.Headers;
using System.Text;
using SkiaSharp;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Small files of each format, recognisable by their content; the images decode.</summary>
public static class SampleFiles
{
    /// <summary>Signature, IHDR, one IDAT and IEND: the smallest png, 70 bytes for one pixel.</summary>
    private const int MinimalPngBytes = 70;

    /// <summary>A decodable grey png of exactly <paramref name="size"/> bytes (at least 70): one row as wide as the size allows.</summary>
    public static byte[] Png(int size = MinimalPngBytes)
    {
        // One row of an 8-bit grey image, stored uncompressed, so each pixel more is one byte more; past a
        // stored block's limit a text chunk pads a one-pixel image instead.
        var width = size - MinimalPngBytes + 1;
        return width <= 60_000
            ? Build(Math.Max(width, 1), 1, new byte[1 + Math.Max(width, 1)], padding: 0)
            : Build(1, 1, [0, 0x80], padding: size - MinimalPngBytes);
    }

    /// <summary>
    /// A png whose header declares <paramref name="width"/>×<paramref name="height"/> pixels but whose data is one
    /// pixel: a decompression bomb's header in a file of a few bytes.
    /// </summary>
    public static byte[] PngDeclaring(int width, int height) => Build(width, height, [0, 0x80], padding: 0);

    public static byte[] Jpg() => Encoded(SKEncodedImageFormat.Jpeg);

    public static byte[] Webp() => Encoded(SKEncodedImageFormat.Webp);

    public static byte[] Glb(int size = 64) => WithPrefix([.. "glTF"u8, 2, 0, 0, 0, 64, 0, 0, 0], size);

    public static byte[] Obj() => Encoding.ASCII.GetBytes("# a triangle\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");

    public static byte[] Ply() => Encoding.ASCII.GetBytes("ply\nformat ascii 1.0\nelement vertex 0\nend_header\n");

    public static MultipartFormDataContent Form(byte[] content, string fileName, string contentType = "application/octet-stream")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    /// <summary>Bytes that start like <paramref name="prefix"/> and go on with noise.</summary>
    public static byte[] WithPrefix(byte[] prefix, int size)
    {
        var bytes = new byte[Math.Max(size, prefix.Length)];
        prefix.CopyTo(bytes, 0);
        for (var i = prefix.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        return bytes;
    }

    private static byte[] Encoded(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(8, 8);
        bitmap.Erase(new SKColor(0x20, 0x60, 0xC0));
        using var data = bitmap.Encode(format, 80);
        return data.ToArray();
    }

    private static byte[] Build(int width, int height, byte[] rows, int padding)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter method, not interlaced
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", StoredZlib(rows));
        if (padding > 0)
        {
            // A text chunk: 12 bytes of length, type and CRC, 8 of keyword, then the filler.
            Chunk(png, "tEXt", [.. "Comment\0"u8, .. Enumerable.Repeat((byte)'x', padding - 20)]);
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
        png.Write(crc);
    }

    /// <summary>A zlib stream of one stored (uncompressed) deflate block: 11 bytes more than the data.</summary>
    private static byte[] StoredZlib(byte[] data)
    {
        var zlib = new byte[2 + 5 + data.Length + 4];
        (zlib[0], zlib[1]) = (0x78, 0x01);
        zlib[2] = 1; // the final block, stored
        BinaryPrimitives.WriteUInt16LittleEndian(zlib.AsSpan(3), (ushort)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(zlib.AsSpan(5), (ushort)~data.Length);
        data.CopyTo(zlib, 7);
        uint a = 1, b = 0;
        foreach (var value in data)
        {
            a = (a + value) % 65521;
            b = (b + a) % 65521;
        }

        BinaryPrimitives.WriteUInt32BigEndian(zlib.AsSpan(7 + data.Length), (b << 16) | a);
        return zlib;
    }
}
