using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Brings a mesh up to a triangle count by splitting edges at their midpoints. While the target is four times
/// away or more, every triangle is cut into four; after that, in rounds, the longest edges are split first, no
/// two in one triangle per round, each splitting every triangle that has it (an edge is its two end positions,
/// so triangles of different parts or with their own vertices for a sharp crease split alike). Every edge that
/// was shared by two triangles still is, so a closed mesh stays closed, and the surface does not move.
/// </summary>
internal static class MeshRefinement
{
    public static Mesh Refine(Mesh mesh, int target)
    {
        var parts = mesh.Parts.Select(p => new Editable(p)).ToList();
        var count = parts.Sum(p => p.Indices.Count / 3);
        while (count < target)
        {
            var added = target - count >= 3 * count ? SplitAll(parts) : SplitLongest(parts, target - count);
            if (added == 0)
            {
                break;
            }

            count += added;
        }

        return new Mesh([.. parts.Select(p => p.ToPart())]);
    }

    /// <summary>Cuts every triangle into four at its edges' midpoints; returns the triangles added.</summary>
    private static int SplitAll(List<Editable> parts)
    {
        var added = 0;
        foreach (var part in parts)
        {
            var old = part.Indices.ToArray();
            part.Indices.Clear();
            for (var t = 0; t < old.Length; t += 3)
            {
                var (a, b, c) = (old[t], old[t + 1], old[t + 2]);
                var (ab, bc, ca) = (part.Midpoint(a, b), part.Midpoint(b, c), part.Midpoint(c, a));
                part.Indices.AddRange([a, ab, ca, ab, b, bc, ca, bc, c, ab, bc, ca]);
            }

            added += old.Length;
        }

        return added;
    }

    /// <summary>Splits the longest edges, none two of one triangle, until about <paramref name="needed"/> triangles are added.</summary>
    private static int SplitLongest(List<Editable> parts, int needed)
    {
        // Every corner's edge (the corner and the next one), numbered in the order first met.
        var ids = new Dictionary<EdgeKey, int>();
        var lengths = new List<float>();
        var corners = new int[parts.Count][];
        for (var p = 0; p < parts.Count; p++)
        {
            var (positions, indices) = (parts[p].Positions, parts[p].Indices);
            corners[p] = new int[indices.Count];
            for (var i = 0; i < indices.Count; i++)
            {
                var next = i % 3 == 2 ? i - 2 : i + 1;
                var key = EdgeKey.Of(positions[indices[i]], positions[indices[next]]);
                if (!ids.TryGetValue(key, out var id))
                {
                    id = lengths.Count;
                    ids.Add(key, id);
                    lengths.Add(Vector3.DistanceSquared(key.A, key.B));
                }

                corners[p][i] = id;
            }
        }

        // The triangles of each edge, as (part, corner) pairs laid out edge after edge.
        var starts = new int[lengths.Count + 1];
        foreach (var part in corners)
        {
            foreach (var id in part)
            {
                starts[id + 1]++;
            }
        }

        for (var e = 0; e < lengths.Count; e++)
        {
            starts[e + 1] += starts[e];
        }

        var fill = starts[..^1];
        var owners = new (int Part, int Corner)[starts[^1]];
        for (var p = 0; p < corners.Length; p++)
        {
            for (var i = 0; i < corners[p].Length; i++)
            {
                owners[fill[corners[p][i]]++] = (p, i);
            }
        }

        var order = Enumerable.Range(0, lengths.Count).ToArray();
        Array.Sort(order, (x, y) => lengths[y].CompareTo(lengths[x]) is var c && c != 0 ? c : x.CompareTo(y));

        // The corner starting the chosen edge of each triangle, or −1.
        var chosen = parts.Select(p => Enumerable.Repeat(-1, p.Indices.Count / 3).ToArray()).ToArray();
        var added = 0;
        foreach (var edge in order)
        {
            if (added >= needed)
            {
                break;
            }

            var free = true;
            for (var k = starts[edge]; k < starts[edge + 1] && free; k++)
            {
                free = chosen[owners[k].Part][owners[k].Corner / 3] < 0;
            }

            if (!free)
            {
                continue;
            }

            for (var k = starts[edge]; k < starts[edge + 1]; k++)
            {
                chosen[owners[k].Part][owners[k].Corner / 3] = owners[k].Corner;
            }

            added += starts[edge + 1] - starts[edge];
        }

        for (var p = 0; p < parts.Count; p++)
        {
            var part = parts[p];
            var old = part.Indices.ToArray();
            part.Indices.Clear();
            for (var t = 0; t < old.Length / 3; t++)
            {
                var corner = chosen[p][t];
                if (corner < 0)
                {
                    part.Indices.AddRange([old[3 * t], old[(3 * t) + 1], old[(3 * t) + 2]]);
                    continue;
                }

                // Turned so the split edge runs a → b: (a, m, c) and (m, b, c) keep the winding.
                var first = corner - (3 * t);
                var (a, b, c) = (old[(3 * t) + first], old[(3 * t) + ((first + 1) % 3)], old[(3 * t) + ((first + 2) % 3)]);
                var m = part.Midpoint(a, b);
                part.Indices.AddRange([a, m, c, m, b, c]);
            }
        }

        return added;
    }

    /// <summary>An edge as its two end positions in a fixed order, with −0 read as 0, so both its triangles name it alike.</summary>
    private readonly record struct EdgeKey(Vector3 A, Vector3 B)
    {
        public static EdgeKey Of(Vector3 p, Vector3 q)
        {
            (p, q) = (p + Vector3.Zero, q + Vector3.Zero);
            return Before(p, q) ? new EdgeKey(p, q) : new EdgeKey(q, p);
        }

        private static bool Before(Vector3 p, Vector3 q) =>
            p.X != q.X ? p.X < q.X : p.Y != q.Y ? p.Y < q.Y : p.Z < q.Z;
    }

    /// <summary>A part's vertices and triangles, open to change, with one midpoint vertex per split vertex pair.</summary>
    private sealed class Editable(MeshPart part)
    {
        private readonly Dictionary<(int, int), int> _midpoints = [];

        public List<Vector3> Positions { get; } = [.. part.Geometry.Positions];

        public List<Vector3> Normals { get; } = [.. part.Geometry.Normals];

        public List<int> Indices { get; } = [.. part.Geometry.Indices];

        /// <summary>
        /// The vertex halfway along a → b: its position from the edge's ordered ends, so the same on every side of
        /// the edge, and its normal between the two ends' normals.
        /// </summary>
        public int Midpoint(int a, int b)
        {
            var pair = a < b ? (a, b) : (b, a);
            if (_midpoints.TryGetValue(pair, out var existing))
            {
                return existing;
            }

            var key = EdgeKey.Of(Positions[a], Positions[b]);
            var normal = Normals[a] + Normals[b];
            Positions.Add((key.A + key.B) * 0.5f);
            Normals.Add(normal.LengthSquared() > 1e-12f ? Vector3.Normalize(normal) : Normals[a]);
            _midpoints.Add(pair, Positions.Count - 1);
            return Positions.Count - 1;
        }

        public MeshPart ToPart()
        {
            var geometry = new Geometry(Positions.Count, Indices.Count);
            for (var i = 0; i < Positions.Count; i++)
            {
                geometry.AddVertex(Positions[i], Normals[i]);
            }

            for (var i = 0; i < Indices.Count; i += 3)
            {
                geometry.AddTriangle(Indices[i], Indices[i + 1], Indices[i + 2]);
            }

            return part with { Geometry = geometry };
        }
    }
}
