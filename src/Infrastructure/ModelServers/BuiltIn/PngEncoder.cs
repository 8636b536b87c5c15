using System.Buffers.Binary;
using System.IO.Compression;

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
        var crc = Crc32.Append(Crc32.Initial, type);
        crc = Crc32.Append(crc, data);
        BinaryPrimitives.WriteUInt32BigEndian(field, Crc32.Finish(crc));
        output.Write(field);
    }
}

/// <summary>
/// CRC-32 (ISO-HDLC, the one PNG chunks use), table-driven. Hand-written because the framework keeps its
/// CRC-32 inside System.IO.Compression and System.IO.Hashing is a separate package this project does not take.
/// </summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFFu;

    private static readonly uint[] Table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
