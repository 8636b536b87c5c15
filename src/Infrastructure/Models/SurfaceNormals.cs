using System.Numerics;

namespace CleanBackend.Infrastructure.Models;

/// <summary>Vertex normals for files that carry none (or none to trust).</summary>
internal static class SurfaceNormals
{
    /// <summary>
    /// Area-weighted vertex normals from counter-clockwise triangles (glTF asks for flat ones when NORMAL is absent;
    /// smooth ones serve a preview and the writers as well); a vertex of no triangle with any area points up.
    /// </summary>
    public static Vector3[] Smooth(IReadOnlyList<Vector3> positions, IReadOnlyList<int> triangles)
    {
        var sums = new Vector3[positions.Count];
        for (var t = 0; t + 2 < triangles.Count; t += 3)
        {
            var (a, b, c) = (triangles[t], triangles[t + 1], triangles[t + 2]);
            var face = Vector3.Cross(positions[b] - positions[a], positions[c] - positions[a]);
            sums[a] += face;
            sums[b] += face;
            sums[c] += face;
        }

        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = Unit(sums[i]);
        }

        return sums;
    }

    /// <summary>The vector scaled to length 1; up when it has no usable direction.</summary>
    public static Vector3 Unit(Vector3 vector)
    {
        var length = vector.Length();
        return length > 0 && float.IsFinite(length) ? vector / length : Vector3.UnitY;
    }
}
