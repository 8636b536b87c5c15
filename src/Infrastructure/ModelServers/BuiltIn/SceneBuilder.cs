using System.Numerics;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Turns a parsed prompt into a mesh: each object is built standing on y = 0 and scaled by its size words, the
/// parts joined to it by "with" are fitted onto it, <see cref="SceneLayout"/> places the objects by the
/// prompt's arrangements and relations and lays out the rest on a grid centred on the origin, and a plane named
/// next to other objects becomes the ground under all of them. With a target polycount the curved shapes get as
/// many segments as fit under the target, and <see cref="MeshRefinement"/> splits the longest edges up to it.
/// </summary>
internal static class SceneBuilder
{
    public const int MaxObjects = 10;

    // Heights in a chair's and a table's own units: what rests on a chair sits on its seat, what goes under
    // them fits below the seat or the top.
    public const float ChairSeatHeight = 0.48f;
    public const float ChairClearance = 0.42f;
    public const float TableClearance = 0.72f;

    public static Mesh Build(PromptSpec spec, long seed, GenerationQuality quality) => Compose(spec, seed, quality, null).Mesh;

    /// <summary>
    /// The mesh with about <paramref name="targetPolycount"/> triangles (within a few), or with the quality's
    /// detail when null. A scene whose coarsest form (3 segments around) has more triangles than the target
    /// comes in that coarsest form.
    /// </summary>
    public static Mesh Build(PromptSpec spec, long seed, GenerationQuality quality, int? targetPolycount) =>
        Compose(spec, seed, quality, targetPolycount).Mesh;

    public static Scene Compose(PromptSpec spec, long seed, GenerationQuality quality, int? targetPolycount = null)
    {
        if (targetPolycount is not { } target)
        {
            return Lay(spec, Items(spec, seed, Detail.For(quality)));
        }

        var scene = Lay(spec, FinestUnder(spec, seed, target));
        return scene.Mesh.TriangleCount >= target ? scene : scene.WithMesh(MeshRefinement.Refine(scene.Mesh, target));
    }

    /// <summary>The scale of an object's size words; planes take only the ones about their width.</summary>
    public static Vector3 Scale(SizeKind size, ShapeKind shape)
    {
        var scale = Vector3.One;
        var upright = shape != ShapeKind.Plane;
        if (size.HasFlag(SizeKind.Small))
        {
            scale *= 0.5f;
        }

        if (size.HasFlag(SizeKind.Large))
        {
            scale *= 1.75f;
        }

        if (upright && size.HasFlag(SizeKind.Tall))
        {
            scale.Y *= 2;
        }

        if (upright && size.HasFlag(SizeKind.Short))
        {
            scale.Y *= 0.5f;
        }

        // "thin" next to tall or long means narrow: a tall thin tower, a long thin table.
        if (upright && size.HasFlag(SizeKind.Flat))
        {
            if ((size & (SizeKind.Tall | SizeKind.Long)) != 0)
            {
                (scale.X, scale.Z) = (scale.X * 0.5f, scale.Z * 0.5f);
            }
            else
            {
                scale.Y *= 0.25f;
            }
        }

        if (size.HasFlag(SizeKind.Wide))
        {
            (scale.X, scale.Z) = (scale.X * 1.75f, scale.Z * 1.75f);
        }

        if (size.HasFlag(SizeKind.Narrow))
        {
            (scale.X, scale.Z) = (scale.X * 0.5f, scale.Z * 0.5f);
        }

        if (size.HasFlag(SizeKind.Long))
        {
            scale.X *= 2;
        }

        return scale;
    }

    /// <summary>
    /// The scene's items at a detail level that fits under the target, within a tenth of it when some level does
    /// (or at the coarsest level when none fits). Triangle
    /// counts grow with the level as a power (a circle's segments linearly, a sphere's grid with the square), so
    /// each guess follows the power seen between the last two levels tried, kept inside the levels known to fit
    /// and known not to; that takes a few builds where halving would take many.
    /// </summary>
    private static Built FinestUnder(PromptSpec spec, long seed, int target)
    {
        var counts = new Dictionary<int, int>();
        Built? best = null;
        int Count(int level)
        {
            if (!counts.TryGetValue(level, out var count))
            {
                var built = Items(spec, seed, Detail.ForLevel(level));
                count = built.TriangleCount;
                counts[level] = count;
                if (count <= target || best is null)
                {
                    // Levels are tried finer and finer among those that fit, so the last that fits is the finest.
                    best = built;
                }
            }

            return count;
        }

        var (fits, over) = (Detail.MinLevel, Detail.MaxLevel + 1);
        if (Count(fits) >= target)
        {
            return best!;
        }

        var (last, next) = (fits, 2 * fits);
        while (true)
        {
            var count = Count(next);
            if (count <= target)
            {
                fits = next;
                if (count >= 0.9 * target || fits == Detail.MaxLevel)
                {
                    return best!;
                }
            }
            else
            {
                over = next;
            }

            if (over - fits <= 1)
            {
                return best!;
            }

            // Aim a little under the target, so the guess mostly fits.
            var growth = Math.Log((double)count / Count(last)) / Math.Log((double)next / last);
            var guess = growth > 0.1 ? next * Math.Pow(0.97 * target / count, 1 / growth) : over;
            (last, next) = (next, Math.Clamp((int)guess, fits + 1, over - 1));
        }
    }

    private sealed record Built(List<SceneItem> Items, int? Ground)
    {
        public int TriangleCount =>
            Items.Sum(i => i.Body.ToMesh().TriangleCount + i.Parts.Sum(p => p.Geometry.ToMesh().TriangleCount)) + (Ground is null ? 0 : 2);
    }

    /// <summary>Builds every instance of every object (up to <see cref="MaxObjects"/>), with its parts, not yet placed.</summary>
    private static Built Items(PromptSpec spec, long seed, Detail detail)
    {
        var random = new SeededRandom(SeededRandom.Mix((ulong)seed) ^ SeededRandom.Hash(spec.NormalizedPrompt));
        var colors = random.Fork(1);
        var shapes = random.Fork(2);
        var partColors = random.Fork(3);
        var partShapes = random.Fork(4);

        var objects = spec.Objects;
        var groundOnly = objects.Where(o => o.Owner is null).All(o => o.Shape == ShapeKind.Plane);
        var firstPlane = objects.ToList().FindIndex(o => o is { Shape: ShapeKind.Plane, Owner: null });
        int? ground = groundOnly || firstPlane < 0 ? null : firstPlane;
        var items = new List<SceneItem>();
        for (var index = 0; index < objects.Count; index++)
        {
            var obj = objects[index];
            if (obj.Owner is not null || (!groundOnly && obj.Shape == ShapeKind.Plane))
            {
                continue;
            }

            var color = obj.Color ?? (IsCompound(obj.Shape) ? null : Colors.Pick(colors, spec.ExcludedColors));
            var (style, loose) = CompoundStyle.For(obj.Shape, objects, index);
            var body = color ?? MainColor(obj.Shape);
            var parts = loose
                .Select(p => new PartToAttach(p, objects[p], objects[p].Color ?? PartColor(objects[p].Part, body, partColors, spec.ExcludedColors)))
                .ToList();
            for (var i = 0; i < obj.Count && items.Count < MaxObjects; i++)
            {
                var local = new MeshAssembly();
                AddObject(local, obj.Shape, color, detail, shapes.Fork((ulong)items.Count), style);
                var scale = Scale(obj.Size, obj.Shape);
                var (min, max) = local.Bounds();
                var attached = parts.Count == 0 ? [] : Attachments.Fit((min * scale, max * scale), parts, (shape, material) =>
                {
                    var unit = new MeshAssembly();
                    AddObject(unit, shape, material, detail, partShapes.Fork((ulong)items.Count), CompoundStyle.Plain);
                    return unit;
                });
                items.Add(new SceneItem(index, i, obj.Shape, local, scale, attached));
            }
        }

        return new Built(items, ground);
    }

    /// <summary>Places the items, then writes them (and the ground) into one mesh, noting where each went.</summary>
    private static Scene Lay(PromptSpec spec, Built built)
    {
        var layout = new SceneLayout(built.Items);
        bool Placeable(int index) => index < spec.Objects.Count && spec.Objects[index] is { Owner: null, Shape: not ShapeKind.Plane };
        foreach (var grouping in spec.Groupings)
        {
            layout.Arrange(grouping with { Objects = [.. grouping.Objects.Where(Placeable)] });
        }

        foreach (var relation in spec.Relations)
        {
            // A floor is the ground under everything already: "a car on the floor" needs no placing.
            var subjects = relation.Subjects.Where(Placeable).ToList();
            if (subjects.Count > 0 && Placeable(relation.Anchor))
            {
                layout.Relate(relation with { Subjects = subjects });
            }
        }

        var (width, depth) = layout.PlaceOnGrid();
        var scene = new MeshAssembly();
        foreach (var item in built.Items)
        {
            scene.AddAll(item.Body, item.BodyTransform);
            foreach (var part in item.Parts)
            {
                scene.AddAll(part.Geometry, item.PartTransform);
            }
        }

        var groundSize = Math.Max(width, depth) + 1f;
        if (built.Ground is { } ground)
        {
            var groundColor = spec.Objects[ground].Color ?? Colors.Ground;
            scene.Add(groundColor, Primitives.Plane(), Matrix4x4.CreateScale(groundSize, 1, groundSize));
        }

        return new Scene(scene.ToMesh(), () =>
        {
            var placed = new List<PlacedObject>();
            foreach (var item in built.Items)
            {
                placed.Add(Placed(item.Object, item.Instance, item.Shape, item.Body, item.BodyTransform, item.Front));
                placed.AddRange(item.Parts.Select(part => Placed(part.Object, item.Instance, part.Shape, part.Geometry, item.PartTransform, item.Front)));
            }

            if (built.Ground is { } index)
            {
                var half = new Vector3(groundSize / 2, 0, groundSize / 2);
                placed.Add(new PlacedObject(index, 0, ShapeKind.Plane, -half, half, Vector3.Zero, Vector3.UnitZ));
            }

            return placed;
        });
    }

    private static PlacedObject Placed(int obj, int instance, ShapeKind shape, MeshAssembly geometry, Matrix4x4 transform, Vector3 front)
    {
        var moved = new MeshAssembly();
        moved.AddAll(geometry, transform);
        var (min, max) = moved.Bounds();
        return new PlacedObject(obj, instance, shape, min, max, new Vector3((min.X + max.X) / 2, min.Y, (min.Z + max.Z) / 2), front);
    }

    private static bool IsCompound(ShapeKind shape) =>
        shape is ShapeKind.Table or ShapeKind.Chair or ShapeKind.Tree or ShapeKind.House or ShapeKind.Snowman or ShapeKind.Car;

    /// <summary>The material a compound object is mostly made of when the prompt names no colour.</summary>
    private static Material MainColor(ShapeKind shape) => shape switch
    {
        ShapeKind.Table or ShapeKind.Chair => Colors.Wood,
        ShapeKind.Tree => Colors.Foliage,
        ShapeKind.House => Colors.Walls,
        ShapeKind.Snowman => Colors.Snow,
        _ => Colors.CarPaint,
    };

    /// <summary>A part's usual colour: roofs like a house's, wheels like tyres, lids, legs and handles like their object.</summary>
    private static Material PartColor(PartKind part, Material body, SeededRandom random, IReadOnlySet<string> excluded) => part switch
    {
        PartKind.Roof or PartKind.Spire or PartKind.Chimney => Colors.Roof,
        PartKind.Wheels => Colors.Tyre,
        PartKind.Door => Colors.Wood,
        PartKind.Windows => Colors.Glass,
        PartKind.Hat => Colors.Pick(random, excluded),
        _ => body,
    };

    private static void AddObject(MeshAssembly a, ShapeKind shape, Material? color, Detail d, SeededRandom random, CompoundStyle style)
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
                a.Add(color!, Primitives.Torus(d.Segments, d.TorusSides), Matrix4x4.Identity);
                break;
            case ShapeKind.Plane:
                a.Add(color!, Primitives.Plane(), Matrix4x4.Identity);
                break;
            case ShapeKind.Dome:
                a.Add(color!, Primitives.Dome(d.Segments, d.Rings), Matrix4x4.Identity);
                break;
            case ShapeKind.Tower:
                // Square, twice as tall as wide with no size words.
                a.Add(color!, Primitives.Box(), At(0.8f, 1.6f, 0.8f, 0, 0.8f, 0));
                break;
            case ShapeKind.Table:
                Table(a, color ?? Colors.Wood, style);
                break;
            case ShapeKind.Chair:
                Chair(a, color ?? Colors.Wood, style);
                break;
            case ShapeKind.Tree:
                Tree(a, color ?? Colors.Foliage, d);
                break;
            case ShapeKind.House:
                House(a, color ?? Colors.Walls, style);
                break;
            case ShapeKind.Snowman:
                Snowman(a, color ?? Colors.Snow, d, style);
                break;
            case ShapeKind.Car:
                Car(a, color ?? Colors.CarPaint, d, style);
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

    private static void Table(MeshAssembly a, Material wood, CompoundStyle style)
    {
        var box = Primitives.Box();
        a.Add(wood, box, At(1.4f, 0.08f, 0.9f, 0, 0.76f, 0));
        foreach (var (x, z) in Corners(0.62f, 0.37f))
        {
            a.Add(style.Legs ?? wood, box, At(0.08f, 0.72f, 0.08f, x, 0.36f, z));
        }
    }

    /// <summary>Facing +z: the back is at −z.</summary>
    private static void Chair(MeshAssembly a, Material wood, CompoundStyle style)
    {
        var box = Primitives.Box();
        a.Add(wood, box, At(0.5f, 0.06f, 0.5f, 0, 0.45f, 0));
        foreach (var (x, z) in Corners(0.22f, 0.22f))
        {
            a.Add(style.Legs ?? wood, box, At(0.05f, 0.42f, 0.05f, x, 0.21f, z));
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

    /// <summary>Door and windows on the front (+z); with <see cref="CompoundStyle.NoRoof"/> neither roof nor chimney, the roof part goes on the walls.</summary>
    private static void House(MeshAssembly a, Material walls, CompoundStyle style)
    {
        var box = Primitives.Box();
        a.Add(walls, box, At(1f, 0.7f, 0.8f, 0, 0.35f, 0));
        if (!style.NoRoof)
        {
            a.Add(style.Roof ?? Colors.Roof, Primitives.Pyramid(), At(1.15f, 0.5f, 0.95f, 0, 0.95f, 0));
            a.Add(style.Chimney ?? Colors.Roof, box, At(0.12f, 0.3f, 0.12f, 0.28f, 1.0f, -0.15f));
        }

        a.Add(style.Door ?? Colors.Wood, box, At(0.2f, 0.36f, 0.04f, 0, 0.18f, 0.41f));
        a.Add(style.Windows ?? Colors.Glass, box, At(0.18f, 0.16f, 0.04f, -0.3f, 0.45f, 0.41f));
        a.Add(style.Windows ?? Colors.Glass, box, At(0.18f, 0.16f, 0.04f, 0.3f, 0.45f, 0.41f));
    }

    /// <summary>Facing +z: the nose points that way.</summary>
    private static void Snowman(MeshAssembly a, Material snow, Detail d, CompoundStyle style)
    {
        var sphere = Primitives.Sphere(d.Segments, d.Rings);
        a.Add(snow, sphere, At(0.7f, 0.7f, 0.7f, 0, 0.35f, 0));
        a.Add(snow, sphere, At(0.5f, 0.5f, 0.5f, 0, 0.9f, 0));
        a.Add(snow, sphere, At(0.36f, 0.36f, 0.36f, 0, 1.29f, 0));

        var small = Primitives.Sphere(d.SmallSegments, d.SmallRings);
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, -0.07f, 1.34f, 0.155f));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, 0.07f, 1.34f, 0.155f));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, 0, 0.97f, 0.24f));
        a.Add(Colors.Coal, small, At(0.05f, 0.05f, 0.05f, 0, 0.84f, 0.235f));
        // The nose: a cone turned from +y to +z.
        a.Add(Colors.Carrot, Primitives.Cone(d.Segments), Matrix4x4.CreateScale(0.06f, 0.2f, 0.06f) * Matrix4x4.CreateRotationX(MathF.PI / 2) * Matrix4x4.CreateTranslation(0, 1.29f, 0.26f));

        var cylinder = Primitives.Cylinder(d.Segments);
        a.Add(style.Hat ?? Colors.Coal, cylinder, At(0.36f, 0.03f, 0.36f, 0, 1.43f, 0));
        a.Add(style.Hat ?? Colors.Coal, cylinder, At(0.24f, 0.25f, 0.24f, 0, 1.565f, 0));
    }

    /// <summary>Facing +x: the lamps are there. Its roof is the cabin's top box.</summary>
    private static void Car(MeshAssembly a, Material paint, Detail d, CompoundStyle style)
    {
        var box = Primitives.Box();
        a.Add(paint, box, At(1.6f, 0.35f, 0.8f, 0, 0.35f, 0));
        a.Add(style.Roof ?? paint, box, At(0.85f, 0.3f, 0.7f, -0.1f, 0.675f, 0));
        a.Add(style.Windows ?? Colors.Glass, box, At(0.87f, 0.16f, 0.72f, -0.1f, 0.69f, 0));
        a.Add(Colors.Lamp, box, At(0.04f, 0.08f, 0.14f, 0.8f, 0.42f, -0.25f));
        a.Add(Colors.Lamp, box, At(0.04f, 0.08f, 0.14f, 0.8f, 0.42f, 0.25f));

        // Wheels: cylinders turned so their axis runs along z.
        var wheel = Primitives.Cylinder(d.Segments);
        foreach (var (x, z) in Corners(0.5f, 0.4f))
        {
            a.Add(style.Wheels ?? Colors.Tyre, wheel, Matrix4x4.CreateScale(0.36f, 0.14f, 0.36f) * Matrix4x4.CreateRotationX(MathF.PI / 2) * Matrix4x4.CreateTranslation(x, 0.18f, z));
        }
    }

    private static (float X, float Z)[] Corners(float x, float z) => [(-x, -z), (x, -z), (x, z), (-x, z)];

}

/// <summary>
/// How finely curved shapes are cut: segments around, rings from pole to pole, the blob's segments, the small
/// spheres of compound objects (a snowman's eyes) and the sides of a torus's tube.
/// </summary>
internal readonly record struct Detail(int Segments, int Rings, int BlobSegments, int SmallSegments, int SmallRings, int TorusSides)
{
    /// <summary>The coarsest level: triangles for circles, a bipyramid for a sphere.</summary>
    public const int MinLevel = 3;

    /// <summary>Beyond this many segments a target is reached by splitting edges instead.</summary>
    public const int MaxLevel = 512;

    public static Detail For(GenerationQuality quality) => quality == GenerationQuality.Draft
        ? new Detail(16, 8, 24, 8, 4, 8)
        : new Detail(48, 24, 64, 24, 12, 24);

    /// <summary>Detail for a target polycount: <paramref name="level"/> segments around, the rest in proportion.</summary>
    public static Detail ForLevel(int level) => new(
        level,
        Math.Max(2, level / 2),
        Math.Max(4, 2 * (2 * level / 3)),
        Math.Max(3, level / 2),
        Math.Max(2, level / 4),
        Math.Max(3, level / 2));
}

/// <summary>
/// Parts a compound object already has, recoloured by "with" ("a house with a red roof", "a car with black
/// wheels", "a snowman with a blue hat", "a table with metal legs"); the rest are fitted on by <see cref="Attachments"/>.
/// A house given a roof of another shape than a pyramid gets that roof instead of its own.
/// </summary>
internal sealed record CompoundStyle(
    Material? Roof = null,
    Material? Door = null,
    Material? Windows = null,
    Material? Chimney = null,
    Material? Wheels = null,
    Material? Hat = null,
    Material? Legs = null,
    bool NoRoof = false)
{
    public static readonly CompoundStyle Plain = new();

    /// <summary>The style for the object at <paramref name="owner"/> and the indices of its parts left to fit on.</summary>
    public static (CompoundStyle Style, List<int> Loose) For(ShapeKind shape, IReadOnlyList<ObjectSpec> objects, int owner)
    {
        var style = Plain;
        var loose = new List<int>();
        for (var index = 0; index < objects.Count; index++)
        {
            var part = objects[index];
            if (part.Owner != owner)
            {
                continue;
            }

            var color = part.Color;
            switch (shape, part.Part)
            {
                case (ShapeKind.House, PartKind.Roof) when part.Shape == ShapeKind.Pyramid:
                    style = style with { Roof = color ?? style.Roof };
                    break;
                case (ShapeKind.House, PartKind.Roof):
                    style = style with { NoRoof = true };
                    loose.Add(index);
                    break;
                case (ShapeKind.House, PartKind.Door):
                    style = style with { Door = color ?? style.Door };
                    break;
                case (ShapeKind.House or ShapeKind.Car, PartKind.Windows):
                    style = style with { Windows = color ?? style.Windows };
                    break;
                case (ShapeKind.House, PartKind.Chimney):
                    style = style with { Chimney = color ?? style.Chimney };
                    break;
                case (ShapeKind.Car, PartKind.Wheels):
                    style = style with { Wheels = color ?? style.Wheels };
                    break;
                case (ShapeKind.Car, PartKind.Roof):
                    style = style with { Roof = color ?? style.Roof };
                    break;
                case (ShapeKind.Snowman, PartKind.Hat):
                    style = style with { Hat = color ?? style.Hat };
                    break;
                case (ShapeKind.Table or ShapeKind.Chair, PartKind.Legs):
                    style = style with { Legs = color ?? style.Legs };
                    break;
                default:
                    loose.Add(index);
                    break;
            }
        }

        return (style, loose);
    }
}
