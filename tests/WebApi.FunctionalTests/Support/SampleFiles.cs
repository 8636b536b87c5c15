using System.Net.Http.Headers;
using System.Text;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Small files of each format, recognisable by their content.</summary>
public static class SampleFiles
{
    public static byte[] Png(int size = 64) => WithPrefix([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], size);

    public static byte[] Jpg(int size = 64) => WithPrefix([0xFF, 0xD8, 0xFF, 0xE0], size);

    public static byte[] Webp(int size = 64) => WithPrefix([.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8], size);

    public static byte[] Glb(int size = 64) => WithPrefix([.. "glTF"u8, 2, 0, 0, 0, 64, 0, 0, 0], size);

    public static byte[] Obj() => Encoding.ASCII.GetBytes("# a triangle\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");

    public static byte[] Ply() => Encoding.ASCII.GetBytes("ply\nformat ascii 1.0\nelement vertex 0\nend_header\n");

    public static MultipartFormDataContent Form(byte[] content, string fileName, string contentType = "application/octet-stream")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static byte[] WithPrefix(byte[] prefix, int size)
    {
        var bytes = new byte[Math.Max(size, prefix.Length)];
        prefix.CopyTo(bytes, 0);
        for (var i = prefix.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        return bytes;
    }
}
