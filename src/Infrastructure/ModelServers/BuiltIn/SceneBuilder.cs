using System.Numerics;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Turns a parsed prompt into a mesh: each object is built standing on y = 0, the objects are laid out on a
/// grid centred on the origin, and a plane named next to other objects becomes the ground under all of them.
/// </summary>
internal static class SceneBuilder
{
    public const int MaxObjects = 10;

    public static Mesh Build(PromptSpec spec, long seed, GenerationQuality quality)
    {
        var detail = Detail.For(quality);
        var random = new SeededRandom(SeededRandom.Mix((ulong)seed) ^ SeededRandom.Hash(spec.NormalizedPrompt));
        var colors = random.Fork(1);
        var shapes = random.Fork(2);

        var groundOnly = spec.Objects.All(o => o.Shape == ShapeKind.Plane);
        var ground = groundOnly ? null : spec.Objects.FirstOrDefault(o => o.Shape == ShapeKind.Plane);
        var instances = new List<(MeshAssembly Local, Vector3 Scale)>();
        foreach (var obj in spec.Objects.Where(o => groundOnly || o.Shape != ShapeKind.Plane))
        {
            var color = obj.Color ?? (IsCompound(obj.Shape) ? null : Colors.Pick(colors, spec.ExcludedColors));
            for (var i = 0; i < obj.Count && instances.Count < MaxObjects; i++)
            {
                var local = new MeshAssembly();
                AddObject(local, obj.Shape, color, detail, shapes.Fork((ulong)instances.Count));
                instances.Add((local, Scale(obj.Size, obj.Shape)));
            }
        }

        var scene = new MeshAssembly();
        var (width, depth) = LayOut(instances, scene);
        if (ground is not null)
        {
            var size = Math.Max(width, depth) + 1f;
            var groundColor = ground.Color ?? Colors.Ground;
            scene.Add(groundColor, Primitives.Plane(), Matrix4x4.CreateScale(size, 1, size));
        }

        return scene.ToMesh();
    }

    private static bool IsCompound(ShapeKind shape) => shape >= ShapeKind.Table;

    private static Vector3 Scale(SizeKind size, ShapeKind shape) => size switch
    {
        SizeKind.Small => new Vector3(0.5f),
        SizeKind.Large => new Vector3(1.75f),
        SizeKind.Tall when shape != ShapeKind.Plane => new Vector3(1, 2, 1),
        SizeKind.Flat when shape != ShapeKind.Plane => new Vector3(1, 0.25f, 1),
        _ => Vector3.One,
    };

    /// <summary>Places each object on a grid cell, standing on y = 0; returns the grid's width and depth.</summary>
    private static (float Width, float Depth) LayOut(List<(MeshAssembly Local, Vector3 Scale)> instances, MeshAssembly scene)
    {
        // Scales are positive, so scaling the bounds is the bounds of the scaled object.
        var bounds = instances.Select(i => i.Local.Bounds()).Select((b, k) => (Min: b.Min * instances[k].Scale, Max: b.Max * instances[k].Scale)).ToList();
        var cellWidth = bounds.Max(b => b.Max.X - b.Min.X);
        var cellDepth = bounds.Max(b => b.Max.Z - b.Min.Z);
        var gap = 0.3f * Math.Max(cellWidth, cellDepth);
        (cellWidth, cellDepth) = (cellWidth + gap, cellDepth + gap);
        var columns = instances.Count <= 4 ? instances.Count : (int)Math.Ceiling(Math.Sqrt(instances.Count));
        var rows = (instances.Count + columns - 1) / columns;
        for (var k = 0; k < instances.Count; k++)
        {
            var (min, max) = bounds[k];
            var cell = new Vector3(((k % columns) - ((columns - 1) / 2f)) * cellWidth, 0, ((k / columns) - ((rows - 1) / 2f)) * cellDepth);
            var centre = new Vector3((min.X + max.X) / 2, min.Y, (min.Z + max.Z) / 2);
            scene.AddAll(instances[k].Local, Matrix4x4.CreateScale(instances[k].Scale) * Matrix4x4.CreateTranslation(cell - centre));
        }

        return (columns * cellWidth, rows * cellDepth);
    }

    private static void AddObject(MeshAssembly a, ShapeKind shape, Material? color, Detail d, SeededRandom random)
    {
        switch (shape)
        {
            case ShapeKind.Cube:
                a.Add(color!, Primitives.Box(), Matrix4x4.Identity);
                break;
            case ShapeKind.Sphere:
                a.Add(color!, Primitives.Sphere(d.Segments, d.Rings), Matrix4x4.Identity);
                break;
            case ShapeKind.Cylinder:
                a.Add(color!, Primitives.Cylinder(d.Segments), Matrix4x4.Identity);
                break;
            case ShapeKind.Cone:
                a.Add(color!, Primitives.Cone(d.Segments), Matrix4x4.Identity);
                break;
            case ShapeKind.Pyramid:
                a.Add(color!, Primitives.Pyramid(), Matrix4x4.Identity);
                break;
            case ShapeKind.Torus:
                a.Add(color!, Primitives.Torus(d.Segments, d.Rings), Matrix4x4.Identity);
                break;
            case ShapeKind.Plane:
                a.Add(color!, Primitives.Plane(), Matrix4x4.Identity);
                break;
            case ShapeKind.Table:
                Table(a, color ?? Colors.Wood);
                break;
            case ShapeKind.Chair:
                Chair(a, color ?? Colors.Wood);
                break;
            case ShapeKind.Tree:
                Tree(a, color ?? Colors.Foliage, d);
                break;
            case ShapeKind.House:
                House(a, color ?? Colors.Walls);
                break;
            case ShapeKind.Snowman:
                Snowman(a, color ?? Colors.Snow, d);
                break;
            case ShapeKind.Car:
                Car(a, color ?? Colors.CarPaint, d);
                break;
            default:
                a.Add(color!, Blob(d, random), Matrix4x4.Identity);
                break;
        }
    }

    /// <summary>A sphere pushed in and out by a few seeded waves, and stretched a little along each axis.</summary>
    private static Geometry Blob(Detail d, SeededRandom random)
    {
        const int Waves = 6;
        var directions = new Vector3[Waves];
        var (frequencies, phases, amplitudes) = (new float[Waves], new float[Waves], new float[Waves]);
        for (var k = 0; k < Waves; k++)
        {
            directions[k] = Vector3.Normalize(new Vector3(random.NextFloat(-1, 1), random.NextFloat(-1, 1), random.NextFloat(-1, 1)) + new Vector3(1e-3f));
            frequencies[k] = random.NextFloat(1.5f, 4.5f);
            phases[k] = random.NextFloat(0, MathF.Tau);
            amplitudes[k] = random.NextFloat(0.02f, 0.07f);
        }

        var stretch = new Vector3(random.NextFloat(0.8f, 1.2f), random.NextFloat(0.8f, 1.2f), random.NextFloat(0.8f, 1.2f));
        var blob = Primitives.Globe(d.BlobSegments, d.BlobSegments / 2, direction =>
        {
            var radius = 1f;
            for (var k = 0; k < Waves; k++)
            {
                radius += amplitudes[k] * MathF.Sin((frequencies[k] * Vector3.Dot(direction, directions[k])) + phases[k]);
            }

            return 0.5f * radius;
        });
        var stretched = new Geometry(blob.VertexCount, blob.TriangleCount * 3);
        stretched.Append(blob, Matrix4x4.CreateScale(stretch));
        return stretched;
    }

    private static Matrix4x4 At(float sx, float sy, float sz, float x, float y, float z) =>
        Matrix4x4.CreateScale(sx, sy, sz) * Matrix4x4.CreateTranslation(x, y, z);

    private static void Table(MeshAssembly a, Material wood)
    {
        var box = Primitives.Box();
        a.Add(wood, box, At(1.4f, 0.08f, 0.9f, 0, 0.76f, 0));
        foreach (var (x, z) in Corners(0.62f, 0.37f))
        {
            a.Add(wood, box, At(0.08f, 0.72f, 0.08f, x, 0.36f, z));
        }
    }

    private static void Chair(MeshAssembly a, Material wood)
    {
        var box = Primitives.Box();
        a.Add(wood, box, At(0.5f, 0.06f, 0.5f, 0, 0.45f, 0));
        foreach (var (x, z) in Corners(0.22f, 0.22f))
        {
            a.Add(wood, box, At(0.05f, 0.42f, 0.05f, x, 0.21f, z));
        }

        a.Add(wood, box, At(0.5f, 0.45f, 0.05f, 0, 0.705f, -0.225f));
    }

    private static void Tree(MeshAssembly a, Material leaves, Detail d)
    {
        a.Add(Colors.Wood, Primitives.Cylinder(d.Segments), At(0.16f, 0.5f, 0.16f, 0, 0.25f, 0));
        var cone = Primitives.Cone(d.Segments);
        a.Add(leaves, cone, At(0.9f, 0.8f, 0.9f, 0, 0.8f, 0));
        a.Add(leaves, cone, At(0.68f, 0.7f, 0.68f, 0, 1.2f, 0));
    }

    private static void House(MeshAssembly a, Material walls)
    {
        var box = Primitives.Box();
        a.Add(walls, box, At(1f, 0.7f, 0.8f, 0, 0.35f, 0));
        a.Add(Colors.Roof, Primitives.Pyramid(), At(1.15f, 0.5f, 0.95f, 0, 0.95f, 0));
        a.Add(Colors.Roof, box, At(0.12f, 0.3f, 0.12f, 0.28f, 1.0f, -0.15f));
        a.Add(Colors.Wood, box, At(0.2f, 0.36f, 0.04f, 0, 0.18f, 0.41f));
        a.Add(Colors.Glass, box, At(0.18f, 0.16f, 0.04f, -0.3f, 0.45f, 0.41f));
        a.Add(Colors.Glass, box, At(0.18f, 0.16f, 0.04f, 0.3f, 0.45f, 0.41f));
    }

    private static void Snowman(MeshAssembly a, Material snow, Detail d)
    {
        var sphere = Primitives.Sphere(d.Segments, d.Rings);
        a.Add(snow, sphere, At(0.7f, 0.7f, 0.7f, 0, 0.35f, 0));
        a.Add(snow, sphere, At(0.5f, 0.5f, 0.5f, 0, 0.9f, 0));
        a.Add(snow, sphere, At(0.36f, 0.36f, 0.36f, 0, 1.29f, 0));

        var small = Primitives.Sphere(Math.Max(8, d.Segments / 2), Math.Max(4, d.Rings / 2));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, -0.07f, 1.34f, 0.155f));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, 0.07f, 1.34f, 0.155f));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, 0, 0.97f, 0.24f));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, 0, 0.84f, 0.235f));
        // The nose: a cone turned from +y to +z.
        a.Add(Colors.Carrot, Primitives.Cone(d.Segments), Matrix4x4.CreateScale(0.06f, 0.2f, 0.06f) * Matrix4x4.CreateRotationX(MathF.PI / 2) * Matrix4x4.CreateTranslation(0, 1.29f, 0.26f));

        var cylinder = Primitives.Cylinder(d.Segments);
        a.Add(Colors.Coal, cylinder, At(0.36f, 0.03f, 0.36f, 0, 1.43f, 0));
        a.Add(Colors.Coal, cylinder, At(0.24f, 0.25f, 0.24f, 0, 1.565f, 0));
    }

    private static void Car(MeshAssembly a, Material paint, Detail d)
    {
        var box = Primitives.Box();
        a.Add(paint, box, At(1.6f, 0.35f, 0.8f, 0, 0.35f, 0));
        a.Add(paint, box, At(0.85f, 0.3f, 0.7f, -0.1f, 0.675f, 0));
        a.Add(Colors.Glass, box, At(0.87f, 0.16f, 0.72f, -0.1f, 0.69f, 0));
        a.Add(Colors.Lamp, box, At(0.04f, 0.08f, 0.14f, 0.8f, 0.42f, -0.25f));
        a.Add(Colors.Lamp, box, At(0.04f, 0.08f, 0.14f, 0.8f, 0.42f, 0.25f));

        // Wheels: cylinders turned so their axis runs along z.
        var wheel = Primitives.Cylinder(d.Segments);
        foreach (var (x, z) in Corners(0.5f, 0.4f))
        {
            a.Add(Colors.Tyre, wheel, Matrix4x4.CreateScale(0.36f, 0.14f, 0.36f) * Matrix4x4.CreateRotationX(MathF.PI / 2) * Matrix4x4.CreateTranslation(x, 0.18f, z));
        }
    }

    private static (float X, float Z)[] Corners(float x, float z) => [(-x, -z), (x, -z), (x, z), (-x, z)];

    private readonly record struct Detail(int Segments, int Rings, int BlobSegments)
    {
        public static Detail For(GenerationQuality quality) => quality == GenerationQuality.Draft
            ? new Detail(16, 8, 24)
            : new Detail(48, 24, 64);
    }
}
