namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Wavefront obj (one group per part, v//vn faces, 1-based) and its mtl, colours in sRGB. With quads asked for, the
/// triangle pairs the geometry recorded as quads are written as four-cornered faces.
/// </summary>
internal static class ObjWriter
{
    public const string Header = "# CleanBackend built-in generator";

    public static void WriteObj(Mesh mesh, string mtlFileName, Stream output, bool quads = false)
    {
        using var w = new AsciiWriter(output);
        w.Text(Header).Line();
        w.Text("mtllib ").Text(mtlFileName).Line();
        var offset = 1;
        foreach (var part in mesh.Parts)
        {
            var g = part.Geometry;
            w.Text("o ").Text(part.Name).Line();
            w.Text("usemtl ").Text(part.Material.Name).Line();
            foreach (var p in g.Positions)
            {
                w.Text("v ").Fixed(p.X).Byte((byte)' ').Fixed(p.Y).Byte((byte)' ').Fixed(p.Z).Line();
            }

            foreach (var n in g.Normals)
            {
                w.Text("vn ").Fixed(n.X).Byte((byte)' ').Fixed(n.Y).Byte((byte)' ').Fixed(n.Z).Line();
            }

            var indices = g.Indices;
            var nextQuad = 0;
            for (var t = 0; t < g.TriangleCount; t++)
            {
                w.Text("f");
                if (quads && nextQuad < g.Quads.Count && g.Quads[nextQuad] == t)
                {
                    // The pair (a, b, c), (a, c, d) is the quad a, b, c, d.
                    Corner(w, indices[3 * t] + offset);
                    Corner(w, indices[(3 * t) + 1] + offset);
                    Corner(w, indices[(3 * t) + 2] + offset);
                    Corner(w, indices[(3 * t) + 5] + offset);
                    nextQuad++;
                    t++;
                }
                else
                {
                    Corner(w, indices[3 * t] + offset);
                    Corner(w, indices[(3 * t) + 1] + offset);
                    Corner(w, indices[(3 * t) + 2] + offset);
                }

                w.Line();
            }

            offset += g.VertexCount;
        }
    }

    public static void WriteMtl(Mesh mesh, Stream output)
    {
        using var w = new AsciiWriter(output);
        w.Text(Header).Line();
        foreach (var material in mesh.Parts.Select(p => p.Material))
        {
            var (c, metal) = (material.Color, material.Metallic);
            w.Line().Text("newmtl ").Text(material.Name).Line();
            Rgb(w, "Ka", c.R * 0.2f, c.G * 0.2f, c.B * 0.2f);
            Rgb(w, "Kd", c.R, c.G, c.B);
            // Metals reflect their own colour; other surfaces a faint white highlight.
            var (sr, sg, sb) = metal > 0 ? (c.R, c.G, c.B) : (0.2f, 0.2f, 0.2f);
            Rgb(w, "Ks", sr, sg, sb);
            w.Text("Ns ").Int((int)MathF.Round((1 - material.Roughness) * 200)).Line();
            w.Text("d 1").Line();
            w.Text("illum 2").Line();
        }
    }

    private static void Corner(AsciiWriter w, int index) => w.Byte((byte)' ').Int(index).Text("//").Int(index);

    private static void Rgb(AsciiWriter w, string key, float r, float g, float b) =>
        w.Text(key).Byte((byte)' ').Fixed(r).Byte((byte)' ').Fixed(g).Byte((byte)' ').Fixed(b).Line();
}
