using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// One surface whose faces each carry a colour index; <see cref="ToMesh"/> splits it into a part per colour (the
/// writers and glTF work per material), copying the vertices each part uses.
/// </summary>
internal sealed class PaintedSurface
{
    private readonly List<Vector3> _positions = [];
    private readonly List<Vector3> _normals = [];
    private readonly List<(int A, int B, int C, int D, int Colour)> _faces = [];

    public IReadOnlyList<Vector3> Positions => _positions;

    public int TriangleCount { get; private set; }

    public int AddVertex(Vector3 position, Vector3 normal)
    {
        _positions.Add(position);
        _normals.Add(normal);
        return _positions.Count - 1;
    }

    public void SetNormal(int vertex, Vector3 normal) => _normals[vertex] = normal;

    public void AddTriangle(int a, int b, int c, int colour)
    {
        _faces.Add((a, b, c, -1, colour));
        TriangleCount++;
    }

    /// <summary>The quad a, b, c, d, counter-clockwise seen from outside.</summary>
    public void AddQuad(int a, int b, int c, int d, int colour)
    {
        _faces.Add((a, b, c, d, colour));
        TriangleCount += 2;
    }

    /// <summary>Scales and moves every point (uniformly, so normals stay as they are).</summary>
    public void Transform(float scale, Vector3 offset)
    {
        for (var i = 0; i < _positions.Count; i++)
        {
            _positions[i] = (_positions[i] * scale) + offset;
        }
    }

    public (Vector3 Min, Vector3 Max) Bounds()
    {
        var (min, max) = (new Vector3(float.MaxValue), new Vector3(float.MinValue));
        foreach (var p in _positions)
        {
            (min, max) = (Vector3.Min(min, p), Vector3.Max(max, p));
        }

        return (min, max);
    }

    /// <summary>A part per colour that has faces, in colour order.</summary>
    public Mesh ToMesh(IReadOnlyList<Material> materials)
    {
        var parts = new List<MeshPart>();
        var map = new int[_positions.Count];
        for (var colour = 0; colour < materials.Count; colour++)
        {
            Array.Fill(map, -1);
            var geometry = new Geometry(256, 768);
            int Vertex(int v)
            {
                if (map[v] < 0)
                {
                    map[v] = geometry.AddVertex(_positions[v], _normals[v]);
                }

                return map[v];
            }

            foreach (var (a, b, c, d, faceColour) in _faces)
            {
                if (faceColour != colour)
                {
                    continue;
                }

                if (d < 0)
                {
                    geometry.AddTriangle(Vertex(a), Vertex(b), Vertex(c));
                }
                else
                {
                    geometry.AddQuad(Vertex(a), Vertex(b), Vertex(c), Vertex(d));
                }
            }

            if (geometry.TriangleCount > 0)
            {
                parts.Add(new MeshPart($"part{parts.Count}_{materials[colour].Name}", materials[colour], geometry));
            }
        }

        return new Mesh(parts);
    }
}
