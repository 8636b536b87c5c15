using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Traces a silhouette's boundary into a simple, counter-clockwise polygon of a chosen number of points. The
/// pixel edges between object and background are followed (a silhouette with its holes filled and one
/// 4-connected part has one such loop, and it never touches itself); the midpoints of those edges make a dense
/// polygon that cuts each staircase corner; then Visvalingam–Whyatt removes, one at a time, the point whose
/// triangle with its neighbours is smallest, skipping any removal that would make an edge cross or touch another,
/// so the result stays simple whatever the shape.
/// </summary>
internal static class OutlineTracer
{
    /// <summary>The dense boundary: edge midpoints, in pixels with y up (y = height − row), counter-clockwise.</summary>
    public static Vector2[] Trace(Silhouette silhouette)
    {
        ArgumentNullException.ThrowIfNull(silhouette);
        if (silhouette.Area == 0)
        {
            return [];
        }

        // The first object pixel in reading order: its top edge is on the boundary, object below it.
        var start = Array.IndexOf(silhouette.Inside, true);
        var (sx, sy) = (start % silhouette.Width, start / silhouette.Width);

        // Corners are integer lattice points (x right, y down); the walk keeps the object on its right.
        var corners = new List<(int X, int Y)>();
        var (px, py, dx, dy) = (sx, sy, 1, 0);
        do
        {
            corners.Add((px, py));
            (px, py) = (px + dx, py + dy);

            // The pixels ahead of the corner, to the right and to the left of the direction of travel.
            var (rx, ry) = (-dy, dx);
            var right = silhouette[FloorHalf(px, dx + rx), FloorHalf(py, dy + ry)];
            var left = silhouette[FloorHalf(px, dx - rx), FloorHalf(py, dy - ry)];
            if (!right)
            {
                (dx, dy) = (rx, ry);
            }
            else if (left)
            {
                (dx, dy) = (-rx, -ry);
            }
        }
        while (px != sx || py != sy || dx != 1 || dy != 0);

        // Edge midpoints, y turned up. The walk goes clockwise as the picture is seen (whichever way y points), so
        // the points are taken in reverse.
        var n = corners.Count;
        var points = new Vector2[n];
        for (var i = 0; i < n; i++)
        {
            var (a, b) = (corners[i], corners[(i + 1) % n]);
            points[n - 1 - i] = new Vector2((a.X + b.X) / 2f, silhouette.Height - ((a.Y + b.Y) / 2f));
        }

        return points;
    }

    /// <summary>The boundary simplified to <paramref name="count"/> points (fewer when the dense boundary has fewer; more when no further point can go without a crossing).</summary>
    public static Vector2[] Trace(Silhouette silhouette, int count) => Simplify(Trace(silhouette), count);

    /// <summary>
    /// Removes points (smallest triangle first) from a simple polygon down to <paramref name="count"/>, keeping it
    /// simple, and keeping every edge at most twice the average length (so a long straight side keeps points along
    /// it, for the faces that take their colour from beside it).
    /// </summary>
    public static Vector2[] Simplify(Vector2[] polygon, int count)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        count = Math.Max(count, 3);
        var n = polygon.Length;
        if (n <= count)
        {
            return polygon;
        }

        var p = polygon.Select(v => (X: (double)v.X, Y: (double)v.Y)).ToArray();
        var prev = new int[n];
        var next = new int[n];
        var version = new int[n];
        var removed = new bool[n];
        for (var i = 0; i < n; i++)
        {
            (prev[i], next[i]) = ((i + n - 1) % n, (i + 1) % n);
        }

        var grid = new SegmentGrid(p, prev, next, n);
        for (var i = 0; i < n; i++)
        {
            grid.Add(i);
        }

        var queue = new PriorityQueue<(int Vertex, int Version), (double Area, int Vertex)>();
        for (var i = 0; i < n; i++)
        {
            queue.Enqueue((i, 0), (Area(p, prev[i], i, next[i]), i));
        }

        var perimeter = 0.0;
        for (var i = 0; i < n; i++)
        {
            perimeter += Length(p[i], p[next[i]]);
        }

        var longest = 2 * perimeter / count;
        var remaining = n;
        while (remaining > count && queue.TryDequeue(out var item, out _))
        {
            var v = item.Vertex;
            if (removed[v] || item.Version != version[v])
            {
                continue;
            }

            var (a, b) = (prev[v], next[v]);
            if (Length(p[a], p[b]) > longest || !grid.CanJoin(a, v, b))
            {
                // Stays until a neighbour's removal changes its triangle (which queues it again).
                continue;
            }

            grid.Remove(a);
            grid.Remove(v);
            (next[a], prev[b], removed[v]) = (b, a, true);
            grid.Add(a);
            remaining--;
            foreach (var changed in (ReadOnlySpan<int>)[a, b])
            {
                version[changed]++;
                queue.Enqueue((changed, version[changed]), (Area(p, prev[changed], changed, next[changed]), changed));
            }
        }

        var result = new Vector2[remaining];
        var first = Array.IndexOf(removed, false);
        for (int i = 0, at = first; i < remaining; i++, at = next[at])
        {
            result[i] = polygon[at];
        }

        return result;
    }

    /// <summary>
    /// Evens out pixel-sized zigzags: each point at most a pixel off the line between its neighbours moves halfway
    /// towards it; corners, further off, stay. Gives back the polygon unchanged if that would make it cross itself.
    /// </summary>
    public static Vector2[] Smooth(Vector2[] polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var n = polygon.Length;
        var smoothed = new Vector2[n];
        for (var i = 0; i < n; i++)
        {
            var offset = ((polygon[(i + n - 1) % n] + polygon[(i + 1) % n]) / 2) - polygon[i];
            smoothed[i] = offset.LengthSquared() < 1 ? polygon[i] + (offset / 2) : polygon[i];
        }

        return SignedArea(smoothed) > 0 && IsSimple(smoothed) ? smoothed : polygon;
    }

    /// <summary>Twice the signed area: positive when the polygon runs counter-clockwise (y up).</summary>
    public static double SignedArea(IReadOnlyList<Vector2> polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var sum = 0.0;
        for (var i = 0; i < polygon.Count; i++)
        {
            var (a, b) = (polygon[i], polygon[(i + 1) % polygon.Count]);
            sum += ((double)a.X * b.Y) - ((double)b.X * a.Y);
        }

        return sum;
    }

    /// <summary>Whether no two edges cross or touch, other than neighbours at their shared point (a check for tests and callers).</summary>
    public static bool IsSimple(IReadOnlyList<Vector2> polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var n = polygon.Count;
        var p = polygon.Select(v => (X: (double)v.X, Y: (double)v.Y)).ToArray();
        for (var i = 0; i < n; i++)
        {
            // The edge i→i+1 against its successor (they share a point and must not fold) and every edge not touching it.
            if (Folds((p[i], p[(i + 1) % n], p[(i + 2) % n])))
            {
                return false;
            }

            for (var j = i + 2; j < n; j++)
            {
                if ((i != 0 || j != n - 1) && Touch(p[i], p[(i + 1) % n], p[j], p[(j + 1) % n]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>floor((2 × corner + offset) / 2): the pixel index on one axis of the pixel beside a corner.</summary>
    private static int FloorHalf(int corner, int offset) => (int)Math.Floor(((2 * corner) + offset) / 2.0);

    private static double Length((double X, double Y) a, (double X, double Y) b) => Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y)));

    private static double Area(ReadOnlySpan<(double X, double Y)> p, int a, int b, int c) => Math.Abs(Cross(p[a], p[b], p[c])) / 2;

    private static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
        ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));

    /// <summary>Whether segments ab and cd share any point (crossing, touching or overlapping).</summary>
    private static bool Touch((double X, double Y) a, (double X, double Y) b, (double X, double Y) c, (double X, double Y) d)
    {
        var (o1, o2) = (Math.Sign(Cross(a, b, c)), Math.Sign(Cross(a, b, d)));
        var (o3, o4) = (Math.Sign(Cross(c, d, a)), Math.Sign(Cross(c, d, b)));
        if (o1 * o2 < 0 && o3 * o4 < 0)
        {
            return true;
        }

        return (o1 == 0 && Within(a, b, c)) || (o2 == 0 && Within(a, b, d)) || (o3 == 0 && Within(c, d, a)) || (o4 == 0 && Within(c, d, b));
    }

    /// <summary>For neighbouring edges a→b→c: whether c doubles back over ab (collinear, pointing back).</summary>
    private static bool Folds(((double X, double Y) A, (double X, double Y) B, (double X, double Y) C) t) =>
        Cross(t.A, t.B, t.C) == 0 && (((t.A.X - t.B.X) * (t.C.X - t.B.X)) + ((t.A.Y - t.B.Y) * (t.C.Y - t.B.Y))) > 0;

    /// <summary>Whether q, collinear with ab, lies on the segment ab.</summary>
    private static bool Within((double X, double Y) a, (double X, double Y) b, (double X, double Y) q) =>
        q.X >= Math.Min(a.X, b.X) && q.X <= Math.Max(a.X, b.X) && q.Y >= Math.Min(a.Y, b.Y) && q.Y <= Math.Max(a.Y, b.Y);

    /// <summary>The polygon's edges (each named by its first point) bucketed in a uniform grid, for crossing tests.</summary>
    private sealed class SegmentGrid
    {
        private readonly (double X, double Y)[] _p;
        private readonly int[] _prev;
        private readonly int[] _next;
        private readonly List<int>[] _cells;
        private readonly int _columns;
        private readonly int _rows;
        private readonly double _minX;
        private readonly double _minY;
        private readonly double _cell;

        public SegmentGrid((double X, double Y)[] p, int[] prev, int[] next, int count)
        {
            (_p, _prev, _next) = (p, prev, next);
            var (minX, minY, maxX, maxY) = (p.Min(v => v.X), p.Min(v => v.Y), p.Max(v => v.X), p.Max(v => v.Y));
            var side = (int)Math.Clamp(Math.Sqrt(count), 1, 256);
            _cell = Math.Max(Math.Max(maxX - minX, maxY - minY) / side, 1e-6);
            (_minX, _minY) = (minX, minY);
            _columns = (int)((maxX - minX) / _cell) + 1;
            _rows = (int)((maxY - minY) / _cell) + 1;
            _cells = new List<int>[_columns * _rows];
            for (var i = 0; i < _cells.Length; i++)
            {
                _cells[i] = [];
            }
        }

        public void Add(int from)
        {
            foreach (var cell in Cells(_p[from], _p[_next[from]]))
            {
                _cells[cell].Add(from);
            }
        }

        public void Remove(int from)
        {
            foreach (var cell in Cells(_p[from], _p[_next[from]]))
            {
                _cells[cell].Remove(from);
            }
        }

        /// <summary>Whether a→c may replace a→v→c: the new edge meets no other edge and does not fold onto its neighbours.</summary>
        public bool CanJoin(int a, int v, int c)
        {
            var (pa, pc) = (_p[a], _p[c]);
            if (_next[c] == a)
            {
                // A triangle cannot lose a corner.
                return false;
            }

            var before = _prev[a];
            if (Folds((_p[before], pa, pc)) || Folds((pa, pc, _p[_next[c]])))
            {
                return false;
            }

            foreach (var cell in Cells(pa, pc))
            {
                foreach (var from in _cells[cell])
                {
                    if (from == before || from == a || from == v || from == c)
                    {
                        continue;
                    }

                    if (Touch(pa, pc, _p[from], _p[_next[from]]))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private IEnumerable<int> Cells((double X, double Y) a, (double X, double Y) b)
        {
            var (x0, x1) = (Column(Math.Min(a.X, b.X)), Column(Math.Max(a.X, b.X)));
            var (y0, y1) = (Row(Math.Min(a.Y, b.Y)), Row(Math.Max(a.Y, b.Y)));
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    yield return (y * _columns) + x;
                }
            }
        }

        private int Column(double x) => Math.Clamp((int)((x - _minX) / _cell), 0, _columns - 1);

        private int Row(double y) => Math.Clamp((int)((y - _minY) / _cell), 0, _rows - 1);
    }
}
