using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Text;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using SkiaSharp;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>Images drawn for the tests: shapes with and without alpha, a photo-like object, two views of one object.</summary>
public static class TestImages
{
    public static readonly SKColor Red = new(0xD0, 0x30, 0x28);
    public static readonly SKColor White = new(0xF4, 0xF4, 0xF0);

    /// <summary>A shape drawn by <paramref name="draw"/> on a transparent or a plain white background.</summary>
    public static byte[] Shape(int width, int height, bool transparent, Action<SKCanvas> draw, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(transparent ? SKColors.Transparent : White);
            draw(canvas);
        }

        return Encode(bitmap, format);
    }

    public static byte[] Square(bool transparent, int size = 200, int side = 120) =>
        Shape(size, size, transparent, c => c.DrawRect((size - side) / 2f, (size - side) / 2f, side, side, Fill(Red)));

    public static byte[] Disc(bool transparent, int size = 200, float radius = 70) =>
        Shape(size, size, transparent, c => c.DrawCircle(size / 2f, size / 2f, radius, Fill(Red)));

    /// <summary>An L: a 40-pixel-wide bar 140 tall with a 100-wide foot, area 40 × 140 + 60 × 40 = 8000 px.</summary>
    public static byte[] LShape(bool transparent) =>
        Shape(200, 200, transparent, c =>
        {
            using var paint = Fill(new SKColor(0x20, 0x60, 0xC0));
            c.DrawRect(40, 30, 40, 140, paint);
            c.DrawRect(80, 130, 60, 40, paint);
        });

    /// <summary>A two-coloured mug-like object: a blue body with a yellow band and a handle, on white.</summary>
    public static byte[] Mug(SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Shape(240, 200, transparent: false, c =>
        {
            using var handle = new SKPaint { Color = new SKColor(0x20, 0x50, 0xB0), IsAntialias = true, IsStroke = true, StrokeWidth = 14 };
            c.DrawOval(new SKRect(140, 70, 200, 140), handle);
            c.DrawRoundRect(new SKRect(50, 40, 160, 170), 10, 10, Fill(new SKColor(0x20, 0x50, 0xB0)));
            c.DrawRect(50, 90, 110, 24, Fill(new SKColor(0xF0, 0xC0, 0x20)));
        }, format);

    /// <summary>
    /// A shaded orange vase on a vertical grey gradient with a darker corner, the whole picture sprinkled with noise,
    /// encoded as a jpg: what a phone photo on a plain backdrop looks like to the silhouette finder.
    /// </summary>
    public static byte[] PhotoLike(SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg, int seed = 7)
    {
        const int Width = 320;
        const int Height = 400;
        using var bitmap = new SKBitmap(Width, Height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var backdrop = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, Height), [new SKColor(0xE6, 0xE8, 0xEC), new SKColor(0x9C, 0xA0, 0xA8)], SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, Width, Height, backdrop);
            using var vignette = new SKPaint
            {
                Shader = SKShader.CreateRadialGradient(new SKPoint(0, 0), 260, [new SKColor(0, 0, 0, 40), new SKColor(0, 0, 0, 0)], SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, Width, Height, vignette);
            using var body = new SKPaint
            {
                IsAntialias = true,
                Shader = SKShader.CreateLinearGradient(new SKPoint(90, 0), new SKPoint(230, 0), [new SKColor(0x90, 0x38, 0x08), new SKColor(0xF0, 0x88, 0x30), new SKColor(0xA0, 0x40, 0x10)], SKShaderTileMode.Clamp),
            };
            canvas.DrawPath(VaseOutline(160, 60, 340, 70), body);
        }

        AddNoise(bitmap, seed, 10);
        return Encode(bitmap, format);
    }

    /// <summary>
    /// The same vase seen from the front and from its right side: its cross-section is an ellipse twice as wide
    /// (x) as it is deep (z), so the side view is half as wide.
    /// </summary>
    public static (byte[] Front, byte[] Right) TwoViews()
    {
        byte[] View(float halfWidth) => Shape(260, 300, transparent: true, c =>
        {
            using var paint = Fill(new SKColor(0x30, 0x90, 0x50));
            c.DrawPath(VaseOutline(130, 30, 280, halfWidth), paint);
            c.DrawRect(130 - (halfWidth * 0.7f), 150, halfWidth * 1.4f, 20, Fill(new SKColor(0xF0, 0xD0, 0x20)));
        });
        return (View(100), View(50));
    }

    /// <summary>A vase from y = top to y = bottom, symmetric about x = centre, at most <paramref name="half"/> wide each side.</summary>
    public static SKPath VaseOutline(float centre, float top, float bottom, float half)
    {
        var height = bottom - top;
        using var path = new SKPathBuilder();
        path.MoveTo(centre - (half * 0.45f), top);
        path.LineTo(centre + (half * 0.45f), top);
        path.CubicTo(centre + (half * 0.4f), top + (height * 0.25f), centre + (half * 1.2f), top + (height * 0.45f), centre + half, top + (height * 0.75f));
        path.LineTo(centre + (half * 0.8f), bottom);
        path.LineTo(centre - (half * 0.8f), bottom);
        path.LineTo(centre - half, top + (height * 0.75f));
        path.CubicTo(centre - (half * 1.2f), top + (height * 0.45f), centre - (half * 0.4f), top + (height * 0.25f), centre - (half * 0.45f), top);
        path.Close();
        return path.Detach();
    }

    /// <summary>A png of a few dozen bytes whose header declares <paramref name="width"/>×<paramref name="height"/> pixels (a decompression bomb's).</summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[64]);
        }

        foreach (var (type, body) in new[] { ("IHDR", header), ("IDAT", data.ToArray()), ("IEND", Array.Empty<byte>()) })
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, body.Length);
            png.Write(length);
            byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. body];
            png.Write(typed);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
            png.Write(crc);
        }

        return png.ToArray();
    }

    /// <summary>A uniform colour: a picture with no object.</summary>
    public static byte[] Blank() => Shape(120, 120, transparent: false, _ => { });

    internal static RgbaImage Decode(byte[] encoded, int maxSide = 1024) => ImageDecoder.Decode(encoded, maxSide, "Image 1");

    internal static Silhouette SilhouetteOf(byte[] encoded) => Silhouette.Find(Decode(encoded)) ?? throw new InvalidOperationException("No object found.");

    /// <summary>Whether a pixel of <paramref name="encoded"/> differs from the background (transparent or white) — where the shape was drawn.</summary>
    public static bool[] Drawn(byte[] encoded)
    {
        var image = Decode(encoded);
        var drawn = new bool[image.PixelCount];
        for (var i = 0; i < drawn.Length; i++)
        {
            var o = i * 4;
            var p = image.Pixels;
            drawn[i] = p[o + 3] >= 128 && (Math.Abs(p[o] - White.Red) + Math.Abs(p[o + 1] - White.Green) + Math.Abs(p[o + 2] - White.Blue)) > 60;
        }

        return drawn;
    }

    private static SKPaint Fill(SKColor colour) => new() { Color = colour, IsAntialias = true };

    private static void AddNoise(SKBitmap bitmap, int seed, int amplitude)
    {
        var random = new SeededRandom((ulong)seed);
        var pixels = bitmap.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            byte Jitter(byte v) => (byte)Math.Clamp(v + random.NextInt((2 * amplitude) + 1) - amplitude, 0, 255);
            pixels[i] = new SKColor(Jitter(p.Red), Jitter(p.Green), Jitter(p.Blue), p.Alpha);
        }

        bitmap.Pixels = pixels;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 92);
        return data.ToArray();
    }
}

/// <summary>Reads binary stl and checks that its triangles close a solid.</summary>
public static class Watertight
{
    public static List<(Vector3 A, Vector3 B, Vector3 C)> ReadStl(byte[] stl)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(stl.AsSpan(80));
        stl.Length.ShouldBe(84 + (50 * count));
        var triangles = new List<(Vector3, Vector3, Vector3)>(count);
        for (var t = 0; t < count; t++)
        {
            var o = 84 + (50 * t) + 12;
            Vector3 Corner(int k) => new(
                BinaryPrimitives.ReadSingleLittleEndian(stl.AsSpan(o + (12 * k))),
                BinaryPrimitives.ReadSingleLittleEndian(stl.AsSpan(o + (12 * k) + 4)),
                BinaryPrimitives.ReadSingleLittleEndian(stl.AsSpan(o + (12 * k) + 8)));
            triangles.Add((Corner(0), Corner(1), Corner(2)));
        }

        return triangles;
    }

    /// <summary>
    /// Null when the triangles close a solid: corners welded by position, every undirected edge shared by exactly
    /// two triangles that run along it in opposite directions (consistent orientation), no collapsed triangle,
    /// and a positive enclosed volume (faces point outwards). Otherwise what is wrong.
    /// </summary>
    public static string? Problem(IReadOnlyList<(Vector3 A, Vector3 B, Vector3 C)> triangles)
    {
        var ids = new Dictionary<Vector3, int>();
        int Id(Vector3 p) => ids.TryGetValue(p, out var id) ? id : ids[p] = ids.Count;
        var directed = new Dictionary<(int, int), int>();
        var volume = 0.0;
        for (var t = 0; t < triangles.Count; t++)
        {
            var (a, b, c) = triangles[t];
            var (ia, ib, ic) = (Id(a), Id(b), Id(c));
            if (ia == ib || ib == ic || ic == ia)
            {
                return $"triangle {t} has two corners in one place";
            }

            foreach (var edge in new[] { (ia, ib), (ib, ic), (ic, ia) })
            {
                directed[edge] = directed.GetValueOrDefault(edge) + 1;
            }

            volume += Vector3.Dot(a, Vector3.Cross(b, c)) / 6.0;
        }

        foreach (var ((from, to), count) in directed)
        {
            if (count != 1)
            {
                return $"edge {from}→{to} is run along {count} times in one direction (inconsistent orientation or more than two faces)";
            }

            if (!directed.ContainsKey((to, from)))
            {
                return $"edge {from}→{to} has one face only (the mesh is open)";
            }
        }

        return volume > 0 ? null : $"the enclosed volume is {volume} (faces point inwards)";
    }
}

/// <summary>A built-in generator fed with images.</summary>
public abstract class ImageTestBase : BuiltInTestBase
{
    public static readonly AssetFormat[] EveryFormat = [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply, AssetFormat.Stl];

    protected static GenerationRequest ImageRequest(
        IReadOnlyList<byte[]> images,
        int? targetPolycount = null,
        GenerationQuality quality = GenerationQuality.Standard,
        AssetFormat[]? formats = null,
        MeshTopology topology = MeshTopology.Triangle,
        string prompt = "") =>
        new(
            Guid.NewGuid(),
            prompt,
            null,
            formats ?? EveryFormat,
            42,
            quality,
            [.. images.Select(bytes => new GenerationImage(Guid.NewGuid(), AssetFormat.Png, new Uri("https://files.test/image.png"), _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))))],
            targetPolycount,
            topology);

    internal static Mesh MeshOf(IReadOnlyList<byte[]> images, int? targetPolycount = null, GenerationQuality quality = GenerationQuality.Standard) =>
        ImageModel.Build(
            [.. images.Select((bytes, i) => ImageDecoder.Decode(bytes, ImageModel.WorkingSide(quality), $"Image {i + 1}"))],
            ImageModel.Triangles(targetPolycount, quality),
            quality);
}
