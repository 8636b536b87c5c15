using System.Text;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>Binary little-endian ply: the parts merged into one vertex list, each vertex carrying its part's colour.</summary>
internal static class PlyWriter
{
    /// <summary>Bytes of one vertex (6 floats, 3 uchars) and of one triangle (a uchar count, 3 ints).</summary>
    public const int VertexBytes = 27;
    public const int FaceBytes = 13;

    public static void Write(Mesh mesh, Stream output)
    {
        var header = new StringBuilder()
            .Append("ply\n")
            .Append("format binary_little_endian 1.0\n")
            .Append("comment CleanBackend built-in generator\n")
            .Append("element vertex ").Append(mesh.VertexCount).Append('\n')
            .Append("property float x\nproperty float y\nproperty float z\n")
            .Append("property float nx\nproperty float ny\nproperty float nz\n")
            .Append("property uchar red\nproperty uchar green\nproperty uchar blue\n")
            .Append("element face ").Append(mesh.TriangleCount).Append('\n')
            .Append("property list uchar int vertex_indices\n")
            .Append("end_header\n");

        using var w = new BinaryWriter(output, Encoding.ASCII, leaveOpen: true);
        w.Write(Encoding.ASCII.GetBytes(header.ToString()));
        foreach (var part in mesh.Parts)
        {
            var c = part.Material.Color;
            var (r, g, b) = (Rgb.ToByte(c.R), Rgb.ToByte(c.G), Rgb.ToByte(c.B));
            var geometry = part.Geometry;
            for (var i = 0; i < geometry.VertexCount; i++)
            {
                var (p, n) = (geometry.Positions[i], geometry.Normals[i]);
                w.Write(p.X);
                w.Write(p.Y);
                w.Write(p.Z);
                w.Write(n.X);
                w.Write(n.Y);
                w.Write(n.Z);
                w.Write(r);
                w.Write(g);
                w.Write(b);
            }
        }

        var offset = 0;
        foreach (var part in mesh.Parts)
        {
            var indices = part.Geometry.Indices;
            for (var i = 0; i < indices.Count; i += 3)
            {
                w.Write((byte)3);
                w.Write(indices[i] + offset);
                w.Write(indices[i + 1] + offset);
                w.Write(indices[i + 2] + offset);
            }

            offset += part.Geometry.VertexCount;
        }
    }
}
