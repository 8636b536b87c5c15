using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Unit shapes centred on the origin, fitting a 1×1×1 box (the plane lies at y = 0). Curved surfaces wind
/// their quads so that cross(∂P/∂u, ∂P/∂v) points outwards; poles and apexes are single triangles, so no
/// triangle is degenerate.
/// </summary>
internal static class Primitives
{
    public static Geometry Box()
    {
        var g = new Geometry(24, 36);
        // Each face: outward normal n and tangents u, v with cross(u, v) = n, so (−u−v, +u−v, +u+v) is counter-clockwise.
        Quad(g, Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ);
        Quad(g, -Vector3.UnitX, Vector3.UnitZ, Vector3.UnitY);
        Quad(g, Vector3.UnitY, Vector3.UnitZ, Vector3.UnitX);
        Quad(g, -Vector3.UnitY, Vector3.UnitX, Vector3.UnitZ);
        Quad(g, Vector3.UnitZ, Vector3.UnitX, Vector3.UnitY);
        Quad(g, -Vector3.UnitZ, Vector3.UnitY, Vector3.UnitX);
        return g;
    }

    /// <summary>A 1×1 square at y = 0 facing up.</summary>
    public static Geometry Plane()
    {
        var g = new Geometry(4, 6);
        Quad(g, Vector3.UnitY, Vector3.UnitZ, Vector3.UnitX, centre: Vector3.Zero);
        return g;
    }

    public static Geometry Sphere(int segments, int rings) => Globe(segments, rings, static _ => 0.5f, smoothNormals: false);

    /// <summary>A sphere whose radius follows <paramref name="radius"/> of the direction; normals come from the triangles.</summary>
    public static Geometry Globe(int segments, int rings, Func<Vector3, float> radius, bool smoothNormals = true)
    {
        var g = new Geometry((segments * (rings - 1)) + 2, segments * (rings - 1) * 6);
        var top = g.AddVertex(Vector3.UnitY * radius(Vector3.UnitY), Vector3.UnitY);
        var (sinPhi, cosPhi) = Circle(segments);
        for (var i = 1; i < rings; i++)
        {
            var (sinTheta, cosTheta) = MathF.SinCos(MathF.PI * i / rings);
            for (var j = 0; j < segments; j++)
            {
                var direction = new Vector3(sinTheta * cosPhi[j], cosTheta, sinTheta * sinPhi[j]);
                g.AddVertex(direction * radius(direction), direction);
            }
        }

        var bottom = g.AddVertex(-Vector3.UnitY * radius(-Vector3.UnitY), -Vector3.UnitY);
        int Ring(int i, int j) => 1 + ((i - 1) * segments) + (j % segments);

        // u = φ, v = θ: cross(∂P/∂φ, ∂P/∂θ) points outwards.
        for (var j = 0; j < segments; j++)
        {
            g.AddTriangle(top, Ring(1, j + 1), Ring(1, j));
            for (var i = 1; i < rings - 1; i++)
            {
                g.AddTriangle(Ring(i, j), Ring(i, j + 1), Ring(i + 1, j + 1));
                g.AddTriangle(Ring(i, j), Ring(i + 1, j + 1), Ring(i + 1, j));
            }

            g.AddTriangle(Ring(rings - 1, j), Ring(rings - 1, j + 1), bottom);
        }

        if (smoothNormals)
        {
            g.RecomputeSmoothNormals();
        }

        return g;
    }

    public static Geometry Cylinder(int segments)
    {
        var g = new Geometry((segments * 4) + 2, segments * 12);
        var (sin, cos) = Circle(segments);
        var side = g.VertexCount;
        for (var j = 0; j < segments; j++)
        {
            var normal = new Vector3(cos[j], 0, sin[j]);
            g.AddVertex(new Vector3(0.5f * cos[j], -0.5f, 0.5f * sin[j]), normal);
            g.AddVertex(new Vector3(0.5f * cos[j], 0.5f, 0.5f * sin[j]), normal);
        }

        // u = y, v = φ: cross(∂P/∂y, ∂P/∂φ) points outwards.
        for (var j = 0; j < segments; j++)
        {
            var (b0, t0) = (side + (2 * j), side + (2 * j) + 1);
            var next = (j + 1) % segments;
            var (b1, t1) = (side + (2 * next), side + (2 * next) + 1);
            g.AddQuad(b0, t0, t1, b1);
        }

        Cap(g, sin, cos, 0.5f, up: true);
        Cap(g, sin, cos, -0.5f, up: false);
        return g;
    }

    /// <summary>Base of radius 0.5 at y = −0.5, apex at y = 0.5.</summary>
    public static Geometry Cone(int segments)
    {
        var g = new Geometry((segments * 3) + 1, segments * 6);
        var (sin, cos) = Circle(segments);
        // The slant normal of a cone of radius r and height h is (h cos φ, r, h sin φ), normalised.
        Vector3 Slant(float s, float c) => Vector3.Normalize(new Vector3(c, 0.5f, s));
        for (var j = 0; j < segments; j++)
        {
            var next = (j + 1) % segments;
            var (midSin, midCos) = MathF.SinCos(MathF.Tau * (j + 0.5f) / segments);
            var b0 = g.AddVertex(new Vector3(0.5f * cos[j], -0.5f, 0.5f * sin[j]), Slant(sin[j], cos[j]));
            var apex = g.AddVertex(new Vector3(0, 0.5f, 0), Slant(midSin, midCos));
            var b1 = g.AddVertex(new Vector3(0.5f * cos[next], -0.5f, 0.5f * sin[next]), Slant(sin[next], cos[next]));
            g.AddTriangle(b0, apex, b1);
        }

        Cap(g, sin, cos, -0.5f, up: false);
        return g;
    }

    /// <summary>Square base at y = −0.5, apex at y = 0.5.</summary>
    public static Geometry Pyramid()
    {
        var g = new Geometry(16, 18);
        var apex = new Vector3(0, 0.5f, 0);
        Vector3[] corners = [new(-0.5f, -0.5f, -0.5f), new(0.5f, -0.5f, -0.5f), new(0.5f, -0.5f, 0.5f), new(-0.5f, -0.5f, 0.5f)];
        for (var i = 0; i < 4; i++)
        {
            // Corners run counter-clockwise seen from below, so (next, current, apex) faces outwards.
            var (a, b) = (corners[(i + 1) % 4], corners[i]);
            var normal = Vector3.Normalize(Vector3.Cross(b - a, apex - a));
            g.AddTriangle(g.AddVertex(a, normal), g.AddVertex(b, normal), g.AddVertex(apex, normal));
        }

        Quad(g, -Vector3.UnitY, Vector3.UnitX, Vector3.UnitZ);
        return g;
    }

    /// <summary>Lying in the xz plane, 1 across and 0.3 thick.</summary>
    public static Geometry Torus(int segments, int sides)
    {
        const float Major = 0.35f;
        const float Minor = 0.15f;
        var g = new Geometry(segments * sides, segments * sides * 6);
        var (sinPhi, cosPhi) = Circle(segments);
        var (sinPsi, cosPsi) = Circle(sides);
        for (var j = 0; j < segments; j++)
        {
            for (var k = 0; k < sides; k++)
            {
                var normal = new Vector3(cosPsi[k] * cosPhi[j], sinPsi[k], cosPsi[k] * sinPhi[j]);
                var ring = Major + (Minor * cosPsi[k]);
                g.AddVertex(new Vector3(ring * cosPhi[j], Minor * sinPsi[k], ring * sinPhi[j]), normal);
            }
        }

        int At(int j, int k) => ((j % segments) * sides) + (k % sides);

        // u = ψ (around the tube), v = φ (around the ring): cross(∂P/∂ψ, ∂P/∂φ) points outwards.
        for (var j = 0; j < segments; j++)
        {
            for (var k = 0; k < sides; k++)
            {
                g.AddTriangle(At(j, k), At(j, k + 1), At(j + 1, k + 1));
                g.AddTriangle(At(j, k), At(j + 1, k + 1), At(j + 1, k));
            }
        }

        return g;
    }

    /// <summary>A half sphere of radius 0.5 on a flat base: y from −0.25 (the base) to 0.25 (the top).</summary>
    public static Geometry Dome(int segments, int rings)
    {
        var bands = Math.Max(1, rings / 2);
        var g = new Geometry((segments * (bands + 1)) + 2, (segments * bands * 6) + (segments * 3));
        var drop = new Vector3(0, 0.25f, 0);
        var top = g.AddVertex(new Vector3(0, 0.5f, 0) - drop, Vector3.UnitY);
        var (sinPhi, cosPhi) = Circle(segments);
        for (var i = 1; i <= bands; i++)
        {
            // The last band ends exactly on the base's rim, so the two meet edge to edge.
            var (sinTheta, cosTheta) = i == bands ? (1f, 0f) : MathF.SinCos(MathF.PI / 2 * i / bands);
            for (var j = 0; j < segments; j++)
            {
                var direction = new Vector3(sinTheta * cosPhi[j], cosTheta, sinTheta * sinPhi[j]);
                g.AddVertex((direction * 0.5f) - drop, direction);
            }
        }

        int Ring(int i, int j) => 1 + ((i - 1) * segments) + (j % segments);

        // As in Globe: u = φ, v = θ.
        for (var j = 0; j < segments; j++)
        {
            g.AddTriangle(top, Ring(1, j + 1), Ring(1, j));
            for (var i = 1; i < bands; i++)
            {
                g.AddTriangle(Ring(i, j), Ring(i, j + 1), Ring(i + 1, j + 1));
                g.AddTriangle(Ring(i, j), Ring(i + 1, j + 1), Ring(i + 1, j));
            }
        }

        Cap(g, sinPhi, cosPhi, -0.25f, up: false);
        return g;
    }

    private static void Quad(Geometry g, Vector3 normal, Vector3 u, Vector3 v, Vector3? centre = null)
    {
        var c = centre ?? normal * 0.5f;
        var (hu, hv) = (u * 0.5f, v * 0.5f);
        var a = g.AddVertex(c - hu - hv, normal);
        var b = g.AddVertex(c + hu - hv, normal);
        var d = g.AddVertex(c + hu + hv, normal);
        var e = g.AddVertex(c - hu + hv, normal);
        g.AddQuad(a, b, d, e);
    }

    private static void Cap(Geometry g, float[] sin, float[] cos, float y, bool up)
    {
        var normal = up ? Vector3.UnitY : -Vector3.UnitY;
        var centre = g.AddVertex(new Vector3(0, y, 0), normal);
        var first = g.VertexCount;
        for (var j = 0; j < sin.Length; j++)
        {
            g.AddVertex(new Vector3(0.5f * cos[j], y, 0.5f * sin[j]), normal);
        }

        for (var j = 0; j < sin.Length; j++)
        {
            var (a, b) = (first + j, first + ((j + 1) % sin.Length));
            // φ runs from +x towards +z, which is clockwise seen from above.
            if (up)
            {
                g.AddTriangle(centre, b, a);
            }
            else
            {
                g.AddTriangle(centre, a, b);
            }
        }
    }

    private static (float[] Sin, float[] Cos) Circle(int segments)
    {
        var (sin, cos) = (new float[segments], new float[segments]);
        for (var j = 0; j < segments; j++)
        {
            (sin[j], cos[j]) = MathF.SinCos(MathF.Tau * j / segments);
        }

        return (sin, cos);
    }
}
