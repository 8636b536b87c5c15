using System.Text;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Domain.UnitTests.Assets;

public sealed class AssetContentTests
{
    public static TheoryData<string, byte[], AssetFormat> Recognised => new()
    {
        { "png signature", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], AssetFormat.Png },
        { "jpeg signature", [0xFF, 0xD8, 0xFF, 0xE1, 0, 0], AssetFormat.Jpg },
        { "webp container", [.. "RIFF"u8, 9, 9, 9, 9, .. "WEBP"u8, .. "VP8 "u8], AssetFormat.Webp },
        { "glb version 2", [.. "glTF"u8, 2, 0, 0, 0, 12, 0, 0, 0], AssetFormat.Glb },
        { "ply, unix lines", Encoding.ASCII.GetBytes("ply\nformat binary_little_endian 1.0\n"), AssetFormat.Ply },
        { "ply, windows lines", Encoding.ASCII.GetBytes("ply\r\nformat ascii 1.0\r\n"), AssetFormat.Ply },
        { "obj with comments and groups", Encoding.UTF8.GetBytes("# Modèle exporté\nmtllib a.mtl\no cube\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n"), AssetFormat.Obj },
        { "mtl", Encoding.ASCII.GetBytes("# material\nnewmtl red\nKd 1 0 0\n"), AssetFormat.Mtl },
    };

    public static TheoryData<string, byte[]> Refused => new()
    {
        { "empty", [] },
        { "glb version 1", [.. "glTF"u8, 1, 0, 0, 0, 12, 0, 0, 0] },
        { "riff but not webp", [.. "RIFF"u8, 9, 9, 9, 9, .. "WAVE"u8] },
        { "plain words", "hello there, general kenobi"u8.ToArray() },
        { "obj-like text with other lines", Encoding.ASCII.GetBytes("v 0 0 0\nrm -rf /\n") },
        { "faces without vertices", Encoding.ASCII.GetBytes("f 1 2 3\n") },
        { "binary noise", [0x00, 0x01, 0x02, 0x03, 0xFE] },
        { "html", "<html><body>hi</body></html>"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Recognised))]
    public void Detect_RecognisesTheFormatFromTheBytes(string description, byte[] head, AssetFormat expected)
    {
        AssetContent.Detect(head).ShouldBe(expected, description);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Detect_RefusesWhatIsNoAcceptedFormat(string description, byte[] head)
    {
        AssetContent.Detect(head).ShouldBeNull(description);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(12, 12, true)]
    [InlineData(2, 3, false)]
    [InlineData(3, 2, false)]
    [InlineData(0, 0, false)]
    public void IsBinaryStl_WhenTheLengthIsWhatTheTriangleCountSays(int declared, int actual, bool expected)
    {
        var bytes = new byte[84 + (50 * actual)];
        "solid cube"u8.CopyTo(bytes);
        BitConverter.GetBytes((uint)declared).CopyTo(bytes, 80);

        AssetContent.IsBinaryStl(bytes.AsSpan(0, Math.Min(bytes.Length, AssetContent.HeadLength)), bytes.Length).ShouldBe(expected);
    }

    [Fact]
    public void IsBinaryStl_RefusesAFileShorterThanItsHeader()
    {
        AssetContent.IsBinaryStl(new byte[83], 83).ShouldBeFalse();
    }
}
