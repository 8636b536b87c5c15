using System.Numerics;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// A closed, coloured model from photos of one object, standing on y = 0 and fitting a 1×1×1 box.
/// <list type="bullet">
/// <item>One view: the silhouette's outline extruded along z, the front and back caps domed a little towards the
/// middle (deeper where the object is wider), the sides straight.</item>
/// <item>Two to four views, in the order front, right side, back, left side (walking round the object to its
/// right): the visual hull, lofted: at each height the front (and back) view gives the extent along x, the side
/// views the extent along z, and a rounded rectangle (a superellipse) of that size is the cross-section.</item>
/// </list>
/// Every face takes the palette colour of the pixel it shows in the view that faces it most. The triangle count
/// is the target's within a few triangles (a quad counts as two).
/// </summary>
internal static class ImageModel
{
    public const int DraftTriangles = 2_000;
    public const int StandardTriangles = 10_000;
    public const int MaxViews = 4;

    /// <summary>The outline's most points: a finer outline than the working image shows adds nothing.</summary>
    public const int MaxOutlinePoints = 3_000;

    /// <summary>The cross-section's exponent: 2 is an ellipse, larger is squarer.</summary>
    private const float Squareness = 2.5f;

    /// <summary>The longest side of the working copy of each image.</summary>
    public static int WorkingSide(GenerationQuality quality) => quality == GenerationQuality.Draft ? 256 : 384;

    public static int Triangles(int? target, GenerationQuality quality) =>
        target ?? (quality == GenerationQuality.Draft ? DraftTriangles : StandardTriangles);

    /// <param name="views">Decoded images, in the order front, right, back, left.</param>
    /// <param name="targetTriangles">About how many triangles to make.</param>
    /// <param name="quality">Draft uses fewer colours.</param>
    public static Mesh Build(IReadOnlyList<RgbaImage> views, int targetTriangles, GenerationQuality quality)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentOutOfRangeException.ThrowIfLessThan(views.Count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(views.Count, MaxViews);
        var silhouettes = views
            .Select((view, i) => Silhouette.Find(view) ?? throw new ModelServerException(
                $"Image {i + 1} shows no object: nothing stands out from its background. Use a plain background or a transparent one."))
            .ToList();
        var palette = ColourPalette.From(views, silhouettes, quality == GenerationQuality.Draft ? 4 : 6);
        var labels = views.Select((view, i) => palette.Label(view, silhouettes[i])).ToList();

        var surface = views.Count == 1
            ? Extrude(silhouettes[0], labels[0], targetTriangles)
            : Loft(silhouettes, labels, targetTriangles);

        // Fit a unit box, centred on x and z, standing on y = 0.
        var (min, max) = surface.Bounds();
        var size = max - min;
        var scale = 1f / MathF.Max(size.X, MathF.Max(size.Y, size.Z));
        surface.Transform(scale, new Vector3(-(min.X + max.X) / 2 * scale, -min.Y * scale, -(min.Z + max.Z) / 2 * scale));
        return surface.ToMesh(palette.Materials);
    }

    /// <summary>How many outline points and cap insertions make <paramref name="target"/> triangles for an extrusion of the silhouette.</summary>
    public static (int Points, int Insertions) PlanExtrusion(int target, int outlinePoints)
    {
        // Caps: 2 × (n − 2 + 2k); sides: 2n. About a sixth of the budget goes to the outline, which keeps at most
        // half the traced points: the other half are the pixel staircase's zigzag.
        var n = Math.Clamp((int)Math.Round(target / 6.0), 8, Math.Max(8, Math.Min(outlinePoints / 2, MaxOutlinePoints)));
        return (n, Insertions(target, n));
    }

    /// <summary>How many cap insertions make <paramref name="target"/> triangles with an outline of <paramref name="points"/>.</summary>
    public static int Insertions(int target, int points) => Math.Max(0, (int)Math.Round((target - ((4.0 * points) - 4)) / 4));

    /// <summary>Points around and rings up a loft of <paramref name="target"/> triangles (2 × points × rings), with about <paramref name="aspect"/> points per ring.</summary>
    public static (int Points, int Rings) PlanLoft(int target, double aspect)
    {
        var half = Math.Max(target / 2.0, 16);
        var ideal = Math.Sqrt(half * Math.Clamp(aspect, 1, 8));
        var best = (Points: 8, Rings: 2);
        var bestError = double.MaxValue;
        for (var m = Math.Max(8, (int)(ideal / 2)); m <= Math.Max(8, (int)(ideal * 2)); m++)
        {
            var rings = Math.Max(2, (int)Math.Round(half / m));
            var error = Math.Abs((2.0 * m * rings) - target) + (Math.Abs(m - ideal) * 1e-6);
            if (error < bestError)
            {
                (best, bestError) = ((m, rings), error);
            }
        }

        return best;
    }

    private static PaintedSurface Extrude(Silhouette silhouette, ColourLabels labels, int target)
    {
        var dense = OutlineTracer.Trace(silhouette);
        var (wanted, _) = PlanExtrusion(target, dense.Length);
        var outline = OutlineTracer.Smooth(OutlineTracer.Simplify(dense, wanted));
        var n = outline.Length;
        var cap = CapTriangulation.Build(outline, Insertions(target, n));
        var points = cap.Points;
        var corners = cap.Corners;

        // Pixels (y up) to model units: the larger side of the silhouette is 1.
        var (minX, minY) = (outline.Min(p => p.X), outline.Min(p => p.Y));
        var (width, height) = (outline.Max(p => p.X) - minX, outline.Max(p => p.Y) - minY);
        var unit = 1f / MathF.Max(width, height);
        var thinner = MathF.Min(width, height) * unit;
        var (rim, dome, reach) = (0.12f * thinner, 0.18f * thinner, 0.25f * thinner);
        var distance = DistanceToOutside(silhouette);
        Vector3 At(Vector2 p, float z) => new((p.X - minX) * unit, (p.Y - minY) * unit, z);
        float Depth(int i)
        {
            if (i < n)
            {
                return rim;
            }

            // A quarter circle from the rim up to the dome's height, reached a little way in.
            var p = points[i];
            var inside = MathF.Min(1, Sample(distance, silhouette, p.X, silhouette.Height - p.Y) * unit / reach);
            return rim + (dome * MathF.Sqrt(inside * (2 - inside)));
        }

        var surface = new PaintedSurface();
        var front = new int[points.Count];
        var back = new int[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var z = Depth(i);
            front[i] = surface.AddVertex(At(points[i], z), Vector3.UnitZ);
            back[i] = surface.AddVertex(At(points[i], -z), -Vector3.UnitZ);
        }

        var frontNormals = new Vector3[points.Count];
        for (var t = 0; t < corners.Count; t += 3)
        {
            var (a, b, c) = (corners[t], corners[t + 1], corners[t + 2]);
            var centroid = (points[a] + points[b] + points[c]) / 3;
            var colour = labels.At(centroid.X, silhouette.Height - centroid.Y);
            surface.AddTriangle(front[a], front[b], front[c], colour);
            surface.AddTriangle(back[a], back[c], back[b], colour);
            var (pa, pb, pc) = (surface.Positions[front[a]], surface.Positions[front[b]], surface.Positions[front[c]]);
            var face = Vector3.Cross(pb - pa, pc - pa);
            frontNormals[a] += face;
            frontNormals[b] += face;
            frontNormals[c] += face;
        }

        for (var i = 0; i < points.Count; i++)
        {
            var normal = frontNormals[i] == Vector3.Zero ? Vector3.UnitZ : Vector3.Normalize(frontNormals[i]);
            surface.SetNormal(front[i], normal);
            surface.SetNormal(back[i], new Vector3(normal.X, normal.Y, -normal.Z));
        }

        AddSides(surface, outline, labels, silhouette.Height, i => At(outline[i], rim), i => At(outline[i], -rim));
        return surface;
    }

    /// <summary>
    /// The straight sides between the caps' rims, a quad per outline edge, coloured by the pixels just inside
    /// the edge. Gentle corners share a smoothed normal; sharp ones (over 50°) keep one per side.
    /// </summary>
    private static void AddSides(PaintedSurface surface, Vector2[] outline, ColourLabels labels, int imageHeight, Func<int, Vector3> top, Func<int, Vector3> bottom)
    {
        var n = outline.Length;
        var normals = new Vector2[n];
        for (var i = 0; i < n; i++)
        {
            var edge = outline[(i + 1) % n] - outline[i];
            normals[i] = Vector2.Normalize(new Vector2(edge.Y, -edge.X));
        }

        var sharp = MathF.Cos(50 * MathF.PI / 180);
        var starts = new (int Front, int Back)[n];
        var ends = new (int Front, int Back)[n];
        for (var i = 0; i < n; i++)
        {
            var (before, after) = (normals[(i + n - 1) % n], normals[i]);
            (int, int) Pair(Vector2 normal) =>
                (surface.AddVertex(top(i), new Vector3(normal, 0)), surface.AddVertex(bottom(i), new Vector3(normal, 0)));
            if (Vector2.Dot(before, after) >= sharp)
            {
                starts[i] = Pair(Vector2.Normalize(before + after));
                ends[(i + n - 1) % n] = starts[i];
            }
            else
            {
                starts[i] = Pair(after);
                ends[(i + n - 1) % n] = Pair(before);
            }
        }

        for (var i = 0; i < n; i++)
        {
            var middle = ((outline[i] + outline[(i + 1) % n]) / 2) - (1.5f * normals[i]);
            var colour = labels.At(middle.X, imageHeight - middle.Y);
            surface.AddQuad(starts[i].Front, starts[i].Back, ends[i].Back, ends[i].Front, colour);
        }
    }

    private static PaintedSurface Loft(IReadOnlyList<Silhouette> silhouettes, IReadOnlyList<ColourLabels> labels, int target)
    {
        var views = silhouettes.Select(s => new View(s)).ToList();

        // Each ring: centre and half extents along x (front, back) and z (sides), at heights 0..1.
        (float X, float HalfX, float Z, float HalfZ) Ring(float y)
        {
            var (x0, x1) = views[0].Extent(y);
            if (views.Count > 2)
            {
                var (b0, b1) = views[2].Extent(y);
                (x0, x1) = Intersect((x0, x1), (-b1, -b0));
            }

            var (r0, r1) = views[1].Extent(y);
            var (z0, z1) = (-r1, -r0);
            if (views.Count > 3)
            {
                (z0, z1) = Intersect((z0, z1), views[3].Extent(y));
            }

            const float Thinnest = 0.004f;
            return ((x0 + x1) / 2, MathF.Max((x1 - x0) / 2, Thinnest), (z0 + z1) / 2, MathF.Max((z1 - z0) / 2, Thinnest));
        }

        var around = 0.0;
        for (var k = 0; k <= 16; k++)
        {
            var ring = Ring(k / 16f);
            around += MathF.PI * (ring.HalfX + ring.HalfZ) / 17;
        }

        var (m, rings) = PlanLoft(target, around);
        var (cos, sin) = (new float[m], new float[m]);
        for (var j = 0; j < m; j++)
        {
            var (s, c) = MathF.SinCos(MathF.Tau * j / m);
            (cos[j], sin[j]) = (MathF.Sign(c) * MathF.Pow(MathF.Abs(c), 2 / Squareness), MathF.Sign(s) * MathF.Pow(MathF.Abs(s), 2 / Squareness));
        }

        var surface = new PaintedSurface();
        var grid = new int[rings, m];
        var shapes = new (float X, float HalfX, float Z, float HalfZ)[rings];
        for (var i = 0; i < rings; i++)
        {
            var y = (float)i / (rings - 1);
            shapes[i] = Ring(y);
            var (x, hx, z, hz) = shapes[i];
            for (var j = 0; j < m; j++)
            {
                grid[i, j] = surface.AddVertex(new Vector3(x + (hx * cos[j]), y, z + (hz * sin[j])), Vector3.Zero);
            }
        }

        // Sides: quads going up, then round; normals smoothed over the quads around each point.
        var normals = new Vector3[surface.Positions.Count];
        for (var i = 0; i < rings - 1; i++)
        {
            for (var j = 0; j < m; j++)
            {
                var (a, b, c, d) = (grid[i, j], grid[i + 1, j], grid[i + 1, (j + 1) % m], grid[i, (j + 1) % m]);
                var (pa, pb, pc, pd) = (surface.Positions[a], surface.Positions[b], surface.Positions[c], surface.Positions[d]);
                var face = Vector3.Cross(pb - pa, pc - pa) + Vector3.Cross(pc - pa, pd - pa);
                foreach (var v in (ReadOnlySpan<int>)[a, b, c, d])
                {
                    normals[v] += face;
                }

                surface.AddQuad(a, b, c, d, Paint(views, labels, (pa + pb + pc + pd) / 4, face));
            }
        }

        for (var v = 0; v < normals.Length; v++)
        {
            surface.SetNormal(v, normals[v] == Vector3.Zero ? Vector3.UnitY : Vector3.Normalize(normals[v]));
        }

        // Flat caps: a fan from each end ring's centre.
        foreach (var (i, up) in new[] { (0, false), (rings - 1, true) })
        {
            var normal = up ? Vector3.UnitY : -Vector3.UnitY;
            var centre = surface.AddVertex(new Vector3(shapes[i].X, (float)i / (rings - 1), shapes[i].Z), normal);
            var first = surface.Positions.Count;
            for (var j = 0; j < m; j++)
            {
                surface.AddVertex(surface.Positions[grid[i, j]], normal);
            }

            for (var j = 0; j < m; j++)
            {
                var (a, b) = (first + j, first + ((j + 1) % m));
                var middle = (surface.Positions[centre] + surface.Positions[a] + surface.Positions[b]) / 3;
                var colour = Paint(views, labels, middle, normal);
                if (up)
                {
                    surface.AddTriangle(centre, b, a, colour);
                }
                else
                {
                    surface.AddTriangle(centre, a, b, colour);
                }
            }
        }

        return surface;
    }

    /// <summary>
    /// The colour a face shows in the view that faces it most (front +z, right +x, back −z, left −x); a missing
    /// back or left view is stood in for by the front or right one, as if the object were the same behind.
    /// </summary>
    private static int Paint(List<View> views, IReadOnlyList<ColourLabels> labels, Vector3 point, Vector3 normal)
    {
        Vector3[] axes = [Vector3.UnitZ, Vector3.UnitX, -Vector3.UnitZ, -Vector3.UnitX];
        var (best, bestScore) = (0, float.MinValue);
        for (var v = 0; v < views.Count; v++)
        {
            var facing = Vector3.Dot(normal, axes[v]);
            var score = (v + 2) % 4 < views.Count ? facing : MathF.Abs(facing);
            if (score > bestScore)
            {
                (best, bestScore) = (v, score);
            }
        }

        // Across the view: x for the front, −z for the right side, −x for the back, z for the left side.
        var across = best switch
        {
            0 => point.X,
            1 => -point.Z,
            2 => -point.X,
            _ => point.Z,
        };
        var (column, row) = views[best].Pixel(across, point.Y);
        return labels[best].At(column, row);
    }

    private static (float Low, float High) Intersect((float Low, float High) a, (float Low, float High) b)
    {
        var (low, high) = (MathF.Max(a.Low, b.Low), MathF.Min(a.High, b.High));
        return low < high ? (low, high) : a;
    }

    /// <summary>Distance in pixels from each object pixel's centre to the nearest background pixel's (3-4 chamfer, 0 outside).</summary>
    private static float[] DistanceToOutside(Silhouette silhouette)
    {
        var (w, h) = (silhouette.Width, silhouette.Height);
        var d = new float[w * h];
        const float Straight = 1f;
        const float Diagonal = 1.41421356f;
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = silhouette.Inside[i] ? float.MaxValue : 0;
        }

        float At(int x, int y) => x < 0 || y < 0 || x >= w || y >= h ? 0 : d[(y * w) + x];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                if (d[i] > 0)
                {
                    d[i] = MathF.Min(d[i], MathF.Min(MathF.Min(At(x - 1, y) + Straight, At(x, y - 1) + Straight), MathF.Min(At(x - 1, y - 1) + Diagonal, At(x + 1, y - 1) + Diagonal)));
                }
            }
        }

        for (var y = h - 1; y >= 0; y--)
        {
            for (var x = w - 1; x >= 0; x--)
            {
                var i = (y * w) + x;
                if (d[i] > 0)
                {
                    d[i] = MathF.Min(d[i], MathF.Min(MathF.Min(At(x + 1, y) + Straight, At(x, y + 1) + Straight), MathF.Min(At(x + 1, y + 1) + Diagonal, At(x - 1, y + 1) + Diagonal)));
                }
            }
        }

        return d;
    }

    /// <summary>The distance to the outline at a point (pixels, y down): bilinear between pixel centres, less the half pixel to the edge.</summary>
    private static float Sample(float[] distance, Silhouette s, float x, float y)
    {
        var (fx, fy) = (Math.Clamp(x - 0.5f, 0, s.Width - 1), Math.Clamp(y - 0.5f, 0, s.Height - 1));
        var (x0, y0) = ((int)fx, (int)fy);
        var (x1, y1) = (Math.Min(x0 + 1, s.Width - 1), Math.Min(y0 + 1, s.Height - 1));
        var (tx, ty) = (fx - x0, fy - y0);
        var top = (distance[(y0 * s.Width) + x0] * (1 - tx)) + (distance[(y0 * s.Width) + x1] * tx);
        var bottom = (distance[(y1 * s.Width) + x0] * (1 - tx)) + (distance[(y1 * s.Width) + x1] * tx);
        return MathF.Max(0, (top * (1 - ty)) + (bottom * ty) - 0.5f);
    }

    /// <summary>One view's silhouette as extents per row, in units of the object's height (0 at its foot, 1 at its top).</summary>
    private sealed class View
    {
        private readonly Silhouette _s;
        private readonly int[] _first;
        private readonly int[] _last;
        private readonly float _centre;
        private readonly float _unit;

        public View(Silhouette silhouette)
        {
            _s = silhouette;
            var rows = silhouette.MaxY - silhouette.MinY + 1;
            (_first, _last) = (new int[rows], new int[rows]);
            for (var r = 0; r < rows; r++)
            {
                var y = silhouette.MinY + r;
                var x = silhouette.MinX;
                while (!silhouette[x, y])
                {
                    x++;
                }

                _first[r] = x;
                x = silhouette.MaxX;
                while (!silhouette[x, y])
                {
                    x--;
                }

                _last[r] = x + 1;
            }

            _centre = (silhouette.MinX + silhouette.MaxX + 1) / 2f;
            _unit = 1f / rows;
        }

        /// <summary>The object's extent across the view at height y (image right positive), interpolated between rows.</summary>
        public (float Low, float High) Extent(float y)
        {
            var row = Math.Clamp(((_s.MaxY + 1) - (y / _unit)) - 0.5f - _s.MinY, 0, _first.Length - 1);
            var r0 = (int)row;
            var r1 = Math.Min(r0 + 1, _first.Length - 1);
            var t = row - r0;
            var low = (_first[r0] * (1 - t)) + (_first[r1] * t);
            var high = (_last[r0] * (1 - t)) + (_last[r1] * t);
            return ((low - _centre) * _unit, (high - _centre) * _unit);
        }

        /// <summary>Where a point across the view and at height y shows in the image (x right, y down, pixels).</summary>
        public (float Column, float Row) Pixel(float across, float y) => (_centre + (across / _unit), (_s.MaxY + 1) - (y / _unit));
    }
}
