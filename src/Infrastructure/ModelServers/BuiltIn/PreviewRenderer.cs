using System.Buffers;
using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// A small software rasteriser for the preview: an orthographic three-quarter view fitted to the model,
/// back faces culled, a depth buffer, flat shading from each triangle's normal and its material colour,
/// rendered at twice the size and averaged down for smooth edges. The background stays transparent.
/// </summary>
internal static class PreviewRenderer
{
    private const int Supersample = 2;

    private static readonly Vector3 ViewDirection = Vector3.Normalize(new Vector3(0.75f, 0.8f, 1f)); // towards the viewer
    private static readonly Vector3 Right = Vector3.Normalize(Vector3.Cross(Vector3.UnitY, ViewDirection));
    private static readonly Vector3 Up = Vector3.Cross(ViewDirection, Right);
    private static readonly Vector3 Light = Vector3.Normalize(new Vector3(0.2f, 1f, 0.8f)); // from the upper left
    private static readonly Vector3 Halfway = Vector3.Normalize(Light + ViewDirection);

    /// <summary>RGBA bytes, row by row from the top.</summary>
    public static byte[] Render(Mesh mesh, int size)
    {
        var big = size * Supersample;
        var pixels = big * big;
        // Pooled: a few megabytes per preview would otherwise be fresh large-object-heap allocations.
        var color = ArrayPool<uint>.Shared.Rent(pixels);
        var depth = ArrayPool<float>.Shared.Rent(pixels);
        try
        {
            Array.Fill(depth, float.NegativeInfinity, 0, pixels);
            var target = new Target(big, color, depth);
            var (centre, scale) = Fit(mesh, big);
            var screen = new List<Vector3>();
            foreach (var part in mesh.Parts)
            {
                var g = part.Geometry;
                screen.Clear();
                foreach (var p in g.Positions)
                {
                    screen.Add(new Vector3(
                        (big / 2f) + ((Vector3.Dot(p, Right) - centre.X) * scale),
                        (big / 2f) - ((Vector3.Dot(p, Up) - centre.Y) * scale),
                        Vector3.Dot(p, ViewDirection)));
                }

                var indices = g.Indices;
                for (var t = 0; t < indices.Count; t += 3)
                {
                    var (a, b, c) = (indices[t], indices[t + 1], indices[t + 2]);
                    var normal = Vector3.Cross(g.Positions[b] - g.Positions[a], g.Positions[c] - g.Positions[a]);
                    if (Vector3.Dot(normal, ViewDirection) > 0)
                    {
                        Fill(target, screen[a], screen[b], screen[c], Shade(part.Material, Vector3.Normalize(normal)));
                    }
                }
            }

            return Downsample(target, size);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(color);
            ArrayPool<float>.Shared.Return(depth);
        }
    }

    private static (Vector2 Centre, float Scale) Fit(Mesh mesh, int big)
    {
        var min = new Vector2(float.MaxValue);
        var max = new Vector2(float.MinValue);
        foreach (var part in mesh.Parts)
        {
            foreach (var p in part.Geometry.Positions)
            {
                var s = new Vector2(Vector3.Dot(p, Right), Vector3.Dot(p, Up));
                min = Vector2.Min(min, s);
                max = Vector2.Max(max, s);
            }
        }

        var extent = Math.Max(max.X - min.X, max.Y - min.Y);
        var margin = big / 16f;
        return ((min + max) / 2, extent > 0 ? (big - (2 * margin)) / extent : 1f);
    }

    /// <summary>The triangle's colour packed as 0x00BBGGRR.</summary>
    private static uint Shade(Material material, Vector3 normal)
    {
        var c = material.Color;
        var diffuse = Math.Max(0f, Vector3.Dot(normal, Light));
        var specular = MathF.Pow(Math.Max(0f, Vector3.Dot(normal, Halfway)), 24f) * (material.Metallic > 0 ? 0.5f : 0.12f);
        var light = 0.35f + (0.65f * diffuse);
        return Rgb.ToByte((c.R * light) + specular)
            | ((uint)Rgb.ToByte((c.G * light) + specular) << 8)
            | ((uint)Rgb.ToByte((c.B * light) + specular) << 16);
    }

    /// <summary>
    /// Edge functions over the triangle's bounding box, stepped incrementally; pixel centres at +0.5; the
    /// nearer (larger z) fragment wins.
    /// </summary>
    private static void Fill(Target target, Vector3 p0, Vector3 p1, Vector3 p2, uint shade)
    {
        var area = Edge(p0, p1, p2.X, p2.Y);
        if (MathF.Abs(area) < 1e-9f)
        {
            return;
        }

        var size = target.Size;
        var minX = Math.Max(0, (int)MathF.Floor(MathF.Min(p0.X, MathF.Min(p1.X, p2.X))));
        var maxX = Math.Min(size - 1, (int)MathF.Ceiling(MathF.Max(p0.X, MathF.Max(p1.X, p2.X))));
        var minY = Math.Max(0, (int)MathF.Floor(MathF.Min(p0.Y, MathF.Min(p1.Y, p2.Y))));
        var maxY = Math.Min(size - 1, (int)MathF.Ceiling(MathF.Max(p0.Y, MathF.Max(p1.Y, p2.Y))));
        if (minX > maxX || minY > maxY)
        {
            return;
        }

        // Normalised barycentric weights and how they change one pixel right (dx) and one down (dy).
        var inverseArea = 1f / area;
        var (x0, y0) = (minX + 0.5f, minY + 0.5f);
        var w0Row = Edge(p1, p2, x0, y0) * inverseArea;
        var w1Row = Edge(p2, p0, x0, y0) * inverseArea;
        var (w0Dx, w0Dy) = (-(p2.Y - p1.Y) * inverseArea, (p2.X - p1.X) * inverseArea);
        var (w1Dx, w1Dy) = (-(p0.Y - p2.Y) * inverseArea, (p0.X - p2.X) * inverseArea);
        var (color, depth) = (target.Color, target.Depth);
        for (var y = minY; y <= maxY; y++)
        {
            var (w0, w1) = (w0Row, w1Row);
            var row = y * size;
            for (var x = minX; x <= maxX; x++)
            {
                var w2 = 1f - w0 - w1;
                if (w0 >= 0 && w1 >= 0 && w2 >= 0)
                {
                    var z = (w0 * p0.Z) + (w1 * p1.Z) + (w2 * p2.Z);
                    if (z > depth[row + x])
                    {
                        depth[row + x] = z;
                        color[row + x] = shade;
                    }
                }

                w0 += w0Dx;
                w1 += w1Dx;
            }

            w0Row += w0Dy;
            w1Row += w1Dy;
        }
    }

    private static float Edge(Vector3 a, Vector3 b, float x, float y) => ((b.X - a.X) * (y - a.Y)) - ((b.Y - a.Y) * (x - a.X));

    private static byte[] Downsample(Target target, int size)
    {
        var (big, color, depth) = (target.Size, target.Color, target.Depth);
        var rgba = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (r, g, b, hits) = (0u, 0u, 0u, 0u);
                for (var sy = 0; sy < Supersample; sy++)
                {
                    var row = ((y * Supersample) + sy) * big;
                    for (var sx = 0; sx < Supersample; sx++)
                    {
                        var pixel = row + (x * Supersample) + sx;
                        if (!float.IsNegativeInfinity(depth[pixel]))
                        {
                            var c = color[pixel];
                            r += c & 0xFF;
                            g += (c >> 8) & 0xFF;
                            b += (c >> 16) & 0xFF;
                            hits++;
                        }
                    }
                }

                if (hits > 0)
                {
                    var o = ((y * size) + x) * 4;
                    rgba[o] = (byte)((r + (hits / 2)) / hits);
                    rgba[o + 1] = (byte)((g + (hits / 2)) / hits);
                    rgba[o + 2] = (byte)((b + (hits / 2)) / hits);
                    rgba[o + 3] = (byte)(255 * hits / (Supersample * Supersample));
                }
            }
        }

        return rgba;
    }

    private readonly record struct Target(int Size, uint[] Color, float[] Depth);
}
