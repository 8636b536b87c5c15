using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>8-bit RGBA PNG: signature, IHDR, one IDAT (rows with the Up filter, zlib-compressed), IEND.</summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(int width, int height, byte[] rgba, Stream output)
    {
        output.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 6; // colour type: RGBA
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        // Fastest: a preview is small either way, and generation latency is what users wait on.
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var stride = width * 4;
            var row = new byte[stride + 1];
            for (var y = 0; y < height; y++)
            {
                // Up filter: each byte minus the one above; flat areas become zeros and compress well.
                row[0] = 2;
                for (var i = 0; i < stride; i++)
                {
                    var above = y > 0 ? rgba[((y - 1) * stride) + i] : 0;
                    row[i + 1] = (byte)(rgba[(y * stride) + i] - above);
                }

                zlib.Write(row);
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(field, data.Length);
        output.Write(field);
        output.Write(type);
        output.Write(data);
        // The chunk's CRC-32 (ISO-HDLC, as PNG specifies) covers its type and data, written big-endian.
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(field, crc.GetCurrentHashAsUInt32());
        output.Write(field);
    }
}
