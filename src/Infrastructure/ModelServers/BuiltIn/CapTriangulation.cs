using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Triangles covering a simple counter-clockwise polygon: ear clipping (which handles any concave outline), then
/// edge flips towards a Delaunay triangulation (the polygon's edges never flip), then, as many times as asked,
/// a point inserted at the centroid of the largest triangle, each insertion adding two triangles. The polygon's
/// points come first in <see cref="Points"/>, so its edges stay exactly the outline's.
/// </summary>
internal sealed class CapTriangulation
{
    private readonly List<(double X, double Y)> _points;
    private readonly List<int> _corners = [];
    private readonly List<int> _neighbours = [];
    private readonly List<int> _versions = [];
    private readonly PriorityQueue<(int Triangle, int Version), (double Area, int Triangle)> _largest = new();

    private CapTriangulation(Vector2[] polygon)
    {
        _points = [.. polygon.Select(v => ((double)v.X, (double)v.Y))];
    }

    public int TriangleCount => _corners.Count / 3;

    /// <summary>The polygon's points, then the inserted ones.</summary>
    public IReadOnlyList<Vector2> Points => [.. _points.Select(p => new Vector2((float)p.X, (float)p.Y))];

    /// <summary>Three point indices per triangle, counter-clockwise.</summary>
    public IReadOnlyList<int> Corners => _corners;

    /// <param name="polygon">Simple and counter-clockwise, at least three points.</param>
    /// <param name="insertions">Points to add inside; the triangle count is the polygon's count − 2 + 2 × insertions.</param>
    public static CapTriangulation Build(Vector2[] polygon, int insertions)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        ArgumentOutOfRangeException.ThrowIfLessThan(polygon.Length, 3);
        var cap = new CapTriangulation(polygon);
        cap.ClipEars();
        cap.Connect();
        cap.MakeDelaunay();
        for (var t = 0; t < cap.TriangleCount; t++)
        {
            cap.Queue(t);
        }

        for (var i = 0; i < insertions; i++)
        {
            cap.InsertInLargest();
        }

        return cap;
    }

    private void ClipEars()
    {
        var n = _points.Count;
        var prev = new int[n];
        var next = new int[n];
        for (var i = 0; i < n; i++)
        {
            (prev[i], next[i]) = ((i + n - 1) % n, (i + 1) % n);
        }

        var (remaining, at, misses) = (n, 0, 0);
        while (remaining > 3)
        {
            var (a, c) = (prev[at], next[at]);
            var ear = IsEar(a, at, c, next, remaining);
            if (!ear && misses > remaining)
            {
                // No ear found in a whole round (rounding on a nearly degenerate outline): clip the first convex
                // corner anyway, so the cap still closes.
                ear = true;
                for (var k = 0; k < remaining && Orient(prev[at], at, next[at]) <= 0; k++)
                {
                    at = next[at];
                }

                (a, c) = (prev[at], next[at]);
            }

            if (ear)
            {
                AddTriangle(a, at, c);
                (next[a], prev[c]) = (c, a);
                remaining--;
                misses = 0;
                at = c;
            }
            else
            {
                at = next[at];
                misses++;
            }
        }

        AddTriangle(prev[at], at, next[at]);
    }

    /// <summary>A convex corner whose triangle holds no other point of the ring (only reflex or straight points can be inside).</summary>
    private bool IsEar(int a, int b, int c, int[] next, int remaining)
    {
        if (Orient(a, b, c) <= 0)
        {
            return false;
        }

        var q = next[c];
        var previous = c;
        for (var k = 0; k < remaining - 3; k++)
        {
            var following = next[q];
            if (Orient(previous, q, following) <= 0 && InsideOrOn(q, a, b, c))
            {
                return false;
            }

            (previous, q) = (q, following);
        }

        return true;
    }

    private bool InsideOrOn(int q, int a, int b, int c) => Orient(a, b, q) >= 0 && Orient(b, c, q) >= 0 && Orient(c, a, q) >= 0;

    private void AddTriangle(int a, int b, int c)
    {
        _corners.Add(a);
        _corners.Add(b);
        _corners.Add(c);
        _neighbours.Add(-1);
        _neighbours.Add(-1);
        _neighbours.Add(-1);
        _versions.Add(0);
    }

    /// <summary>Pairs each edge with the triangle on its other side (none for the polygon's edges).</summary>
    private void Connect()
    {
        var edges = new Dictionary<(int, int), int>(_corners.Count);
        for (var e = 0; e < _corners.Count; e++)
        {
            edges[(_corners[e], _corners[Next(e)])] = e;
        }

        for (var e = 0; e < _corners.Count; e++)
        {
            _neighbours[e] = edges.TryGetValue((_corners[Next(e)], _corners[e]), out var twin) ? twin : -1;
        }
    }

    /// <summary>Flips every edge whose opposite corner lies in the other triangle's circumcircle, until none does.</summary>
    private void MakeDelaunay()
    {
        var pending = new Stack<int>();
        for (var e = 0; e < _corners.Count; e++)
        {
            if (_neighbours[e] > e)
            {
                pending.Push(e);
            }
        }

        // Every flip makes the triangulation strictly more Delaunay; the cap only guards against rounding.
        var budget = 64 * (_corners.Count + 16);
        while (pending.Count > 0 && budget-- > 0)
        {
            var e = pending.Pop();
            if (_neighbours[e] >= 0 && TryFlip(e, out var outer))
            {
                foreach (var edge in outer)
                {
                    pending.Push(edge);
                }
            }
        }
    }

    /// <summary>
    /// The edge e (a→b) of triangle (a, b, c), with (b, a, d) across it, becomes c–d when d is in the circumcircle
    /// of (a, b, c) and the four points make a convex quad: the triangles become (a, d, c) and (d, b, c).
    /// </summary>
    private bool TryFlip(int e, out int[] outer)
    {
        outer = [];
        var twin = _neighbours[e];
        var (t, u) = (e / 3, twin / 3);
        var (a, b, c) = (_corners[e], _corners[Next(e)], _corners[Prev(e)]);
        var d = _corners[Prev(twin)];
        if (!InCircle(a, b, c, d) || Orient(a, d, c) <= 0 || Orient(d, b, c) <= 0)
        {
            return false;
        }

        var (nbc, nca) = (_neighbours[Next(e)], _neighbours[Prev(e)]);
        var (nad, ndb) = (_neighbours[Next(twin)], _neighbours[Prev(twin)]);
        Set(t, a, d, c, nad, (3 * u) + 2, nca);
        Set(u, d, b, c, ndb, nbc, (3 * t) + 1);
        Relink(nad, 3 * t);
        Relink(nbc, (3 * u) + 1);
        Relink(nca, (3 * t) + 2);
        Relink(ndb, 3 * u);
        outer = [3 * t, (3 * t) + 2, 3 * u, (3 * u) + 1];
        return true;
    }

    private void InsertInLargest()
    {
        int t;
        while (true)
        {
            if (!_largest.TryDequeue(out var item, out _))
            {
                return;
            }

            if (item.Version == _versions[item.Triangle])
            {
                t = item.Triangle;
                break;
            }
        }

        var (a, b, c) = (_corners[3 * t], _corners[(3 * t) + 1], _corners[(3 * t) + 2]);
        var (na, nb, nc) = (_neighbours[3 * t], _neighbours[(3 * t) + 1], _neighbours[(3 * t) + 2]);
        var p = _points.Count;
        _points.Add(((_points[a].X + _points[b].X + _points[c].X) / 3, (_points[a].Y + _points[b].Y + _points[c].Y) / 3));

        // (a, b, p) keeps t; (b, c, p) and (c, a, p) are new. Each has its outer edge first and p last.
        var (t1, t2) = (TriangleCount, TriangleCount + 1);
        AddTriangle(0, 0, 0);
        AddTriangle(0, 0, 0);
        Set(t, a, b, p, na, (3 * t1) + 2, (3 * t2) + 1);
        Set(t1, b, c, p, nb, (3 * t2) + 2, (3 * t) + 1);
        Set(t2, c, a, p, nc, (3 * t) + 2, (3 * t1) + 1);
        Relink(nb, 3 * t1);
        Relink(nc, 3 * t2);

        var pending = new Stack<int>([3 * t, 3 * t1, 3 * t2]);
        var touched = new List<int> { t, t1, t2 };
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            if (_neighbours[e] >= 0 && TryFlip(e, out _))
            {
                // After a flip the new point is still each triangle's last corner; their outer edges are edge 0.
                var (x, y) = (e / 3, _neighbours[(3 * (e / 3)) + 1] / 3);
                pending.Push(3 * x);
                pending.Push(3 * y);
                touched.Add(x);
                touched.Add(y);
            }
        }

        foreach (var changed in touched.Distinct())
        {
            _versions[changed]++;
            Queue(changed);
        }
    }

    private void Queue(int t)
    {
        var area = Orient(_corners[3 * t], _corners[(3 * t) + 1], _corners[(3 * t) + 2]);
        _largest.Enqueue((t, _versions[t]), (-area, t));
    }

    private void Set(int t, int a, int b, int c, int nab, int nbc, int nca)
    {
        (_corners[3 * t], _corners[(3 * t) + 1], _corners[(3 * t) + 2]) = (a, b, c);
        (_neighbours[3 * t], _neighbours[(3 * t) + 1], _neighbours[(3 * t) + 2]) = (nab, nbc, nca);
    }

    /// <summary>Points the edge across from <paramref name="edge"/> back at it.</summary>
    private void Relink(int edge, int across)
    {
        if (edge >= 0)
        {
            _neighbours[edge] = across;
        }
    }

    private static int Next(int e) => e % 3 == 2 ? e - 2 : e + 1;

    private static int Prev(int e) => e % 3 == 0 ? e + 2 : e - 1;

    /// <summary>Twice the signed area of (a, b, c): positive when counter-clockwise.</summary>
    private double Orient(int a, int b, int c)
    {
        var (pa, pb, pc) = (_points[a], _points[b], _points[c]);
        return ((pb.X - pa.X) * (pc.Y - pa.Y)) - ((pb.Y - pa.Y) * (pc.X - pa.X));
    }

    /// <summary>Whether d lies clearly inside the circumcircle of the counter-clockwise (a, b, c).</summary>
    private bool InCircle(int a, int b, int c, int d)
    {
        var (pa, pb, pc, pd) = (_points[a], _points[b], _points[c], _points[d]);
        var (adx, ady, bdx, bdy, cdx, cdy) = (pa.X - pd.X, pa.Y - pd.Y, pb.X - pd.X, pb.Y - pd.Y, pc.X - pd.X, pc.Y - pd.Y);
        var (al, bl, cl) = ((adx * adx) + (ady * ady), (bdx * bdx) + (bdy * bdy), (cdx * cdx) + (cdy * cdy));
        var det = (al * ((bdx * cdy) - (cdx * bdy))) + (bl * ((cdx * ady) - (adx * cdy))) + (cl * ((adx * bdy) - (bdx * ady)));
        var scale = (al * (Math.Abs(bdx * cdy) + Math.Abs(cdx * bdy))) + (bl * (Math.Abs(cdx * ady) + Math.Abs(adx * cdy))) + (cl * (Math.Abs(adx * bdy) + Math.Abs(bdx * ady)));
        return det > 1e-9 * scale;
    }
}
