using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Triangles with per-vertex normals; front faces wind counter-clockwise, as glTF has it. Pairs of triangles added as
/// one quad are remembered as such, for the formats that can carry quads.
/// </summary>
internal sealed class Geometry
{
    private readonly List<Vector3> _positions;
    private readonly List<Vector3> _normals;
    private readonly List<int> _indices;
    private readonly List<int> _quads = [];

    public Geometry(int vertexCapacity = 64, int indexCapacity = 192)
    {
        _positions = new List<Vector3>(vertexCapacity);
        _normals = new List<Vector3>(vertexCapacity);
        _indices = new List<int>(indexCapacity);
    }

    public IReadOnlyList<Vector3> Positions => _positions;

    public IReadOnlyList<Vector3> Normals => _normals;

    public IReadOnlyList<int> Indices => _indices;

    /// <summary>The first triangle of each pair added by <see cref="AddQuad"/>, ascending; the second follows it.</summary>
    public IReadOnlyList<int> Quads => _quads;

    public int VertexCount => _positions.Count;

    public int TriangleCount => _indices.Count / 3;

    public int AddVertex(Vector3 position, Vector3 normal)
    {
        _positions.Add(position);
        _normals.Add(normal);
        return _positions.Count - 1;
    }

    public void AddTriangle(int a, int b, int c)
    {
        _indices.Add(a);
        _indices.Add(b);
        _indices.Add(c);
    }

    /// <summary>The quad a, b, c, d (counter-clockwise) as the triangles (a, b, c) and (a, c, d).</summary>
    public void AddQuad(int a, int b, int c, int d)
    {
        _quads.Add(TriangleCount);
        AddTriangle(a, b, c);
        AddTriangle(a, c, d);
    }

    /// <summary>Appends another geometry moved by <paramref name="transform"/>; normals follow its inverse transpose.</summary>
    public void Append(Geometry other, Matrix4x4 transform)
    {
        Matrix4x4.Invert(transform, out var inverse);
        var normalMatrix = Matrix4x4.Transpose(inverse);
        var offset = _positions.Count;
        var triangleOffset = TriangleCount;
        for (var i = 0; i < other._positions.Count; i++)
        {
            _positions.Add(Vector3.Transform(other._positions[i], transform));
            _normals.Add(Vector3.Normalize(Vector3.TransformNormal(other._normals[i], normalMatrix)));
        }

        foreach (var index in other._indices)
        {
            _indices.Add(index + offset);
        }

        foreach (var quad in other._quads)
        {
            _quads.Add(quad + triangleOffset);
        }
    }

    /// <summary>Area-weighted vertex normals from the triangles, for surfaces with no formula for them.</summary>
    public void RecomputeSmoothNormals()
    {
        var sums = new Vector3[_positions.Count];
        for (var i = 0; i < _indices.Count; i += 3)
        {
            var (a, b, c) = (_indices[i], _indices[i + 1], _indices[i + 2]);
            var faceNormal = Vector3.Cross(_positions[b] - _positions[a], _positions[c] - _positions[a]);
            sums[a] += faceNormal;
            sums[b] += faceNormal;
            sums[c] += faceNormal;
        }

        for (var i = 0; i < sums.Length; i++)
        {
            _normals[i] = sums[i] == Vector3.Zero ? Vector3.UnitY : Vector3.Normalize(sums[i]);
        }
    }

    public (Vector3 Min, Vector3 Max) Bounds()
    {
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var p in _positions)
        {
            min = Vector3.Min(min, p);
            max = Vector3.Max(max, p);
        }

        return (min, max);
    }
}

/// <summary>The geometry painted with one material: one glTF primitive, one obj group.</summary>
internal sealed record MeshPart(string Name, Material Material, Geometry Geometry);

/// <summary>The generated model: the single place every writer and the preview read from.</summary>
internal sealed class Mesh(IReadOnlyList<MeshPart> parts)
{
    public IReadOnlyList<MeshPart> Parts { get; } = parts;

    public int VertexCount => Parts.Sum(p => p.Geometry.VertexCount);

    public int TriangleCount => Parts.Sum(p => p.Geometry.TriangleCount);
}

/// <summary>Collects geometry by material, in the order materials first appear, so each material is one part.</summary>
internal sealed class MeshAssembly
{
    private readonly List<(Material Material, Geometry Geometry)> _parts = [];

    public void Add(Material material, Geometry unit, Matrix4x4 transform) => For(material).Append(unit, transform);

    public void AddAll(MeshAssembly other, Matrix4x4 transform)
    {
        foreach (var (material, geometry) in other._parts)
        {
            Add(material, geometry, transform);
        }
    }

    public (Vector3 Min, Vector3 Max) Bounds()
    {
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var (_, geometry) in _parts)
        {
            var (partMin, partMax) = geometry.Bounds();
            min = Vector3.Min(min, partMin);
            max = Vector3.Max(max, partMax);
        }

        return (min, max);
    }

    public Mesh ToMesh() =>
        new([.. _parts.Select((p, i) => new MeshPart($"part{i}_{p.Material.Name}", p.Material, p.Geometry))]);

    private Geometry For(Material material)
    {
        foreach (var (existing, geometry) in _parts)
        {
            if (existing.Name == material.Name)
            {
                return geometry;
            }
        }

        var created = new Geometry(256, 768);
        _parts.Add((material, created));
        return created;
    }
}
