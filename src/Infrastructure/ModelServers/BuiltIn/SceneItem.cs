using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>A part joined to an instance, in the instance's scaled space.</summary>
internal sealed record ItemPart(int Object, ShapeKind Shape, MeshAssembly Geometry);

/// <summary>
/// One instance of an object: its body as built (unscaled), its size words' scale, the parts joined to it,
/// and where the layout puts it: shrunk by <see cref="Factor"/>, turned by <see cref="Yaw"/> about its
/// footprint's centre, then moved by <see cref="Translation"/>.
/// </summary>
internal sealed class SceneItem
{
    private readonly (Vector3 Min, Vector3 Max) _bounds;

    public SceneItem(int obj, int instance, ShapeKind shape, MeshAssembly body, Vector3 scale, IReadOnlyList<ItemPart> parts)
    {
        Object = obj;
        Instance = instance;
        Shape = shape;
        Body = body;
        Scale = scale;
        Parts = parts;

        // Scales are positive, so scaling the bounds is the bounds of the scaled body.
        var (min, max) = body.Bounds();
        (min, max) = (min * scale, max * scale);
        BodyBounds = (min, max);
        foreach (var part in parts)
        {
            var (partMin, partMax) = part.Geometry.Bounds();
            (min, max) = (Vector3.Min(min, partMin), Vector3.Max(max, partMax));
        }

        _bounds = (min, max);
        SupportTop = shape == ShapeKind.Chair && !parts.Any(p => p.Geometry.Bounds().Max.Y > BodyBounds.Max.Y)
            ? SceneBuilder.ChairSeatHeight * scale.Y
            : max.Y;
        Clearance = shape switch
        {
            ShapeKind.Table => SceneBuilder.TableClearance * scale.Y,
            ShapeKind.Chair => SceneBuilder.ChairClearance * scale.Y,
            _ => 0,
        };
    }

    public int Object { get; }

    public int Instance { get; }

    public ShapeKind Shape { get; }

    public MeshAssembly Body { get; }

    public Vector3 Scale { get; }

    public IReadOnlyList<ItemPart> Parts { get; }

    /// <summary>The scaled body's bounds, before the layout moves it.</summary>
    public (Vector3 Min, Vector3 Max) BodyBounds { get; }

    public float Factor { get; set; } = 1;

    public float Yaw { get; set; }

    public Vector3 Translation { get; set; }

    /// <summary>How high things put on it rest, before the layout moves it: the seat of a chair, else the top.</summary>
    public float SupportTop { get; }

    /// <summary>The free height under it (a table's top, a chair's seat); 0 for solid things.</summary>
    public float Clearance { get; }

    public SceneCluster Cluster { get; set; } = null!;

    /// <summary>The way the front faces before turning: a car's lamps look along +x, everything else along +z.</summary>
    public Vector3 LocalFront => Shape == ShapeKind.Car ? Vector3.UnitX : Vector3.UnitZ;

    public Vector3 Front => Yaw == 0 ? LocalFront : Vector3.Transform(LocalFront, Matrix4x4.CreateRotationY(Yaw));

    /// <summary>Body and parts, shrunk but not moved.</summary>
    public (Vector3 Min, Vector3 Max) LocalBounds => Factor == 1 ? _bounds : (_bounds.Min * Factor, _bounds.Max * Factor);

    /// <summary>The centre of the footprint at the base, shrunk but not moved: what the item turns about.</summary>
    public Vector3 LocalPivot
    {
        get
        {
            var (min, max) = LocalBounds;
            return new Vector3((min.X + max.X) / 2, min.Y, (min.Z + max.Z) / 2);
        }
    }

    public Vector3 Position => LocalPivot + Translation;

    /// <summary>The box the item takes in the scene (for a turned item, the box around its turned footprint).</summary>
    public (Vector3 Min, Vector3 Max) Bounds
    {
        get
        {
            var (min, max) = LocalBounds;
            if (Yaw == 0)
            {
                return Translation == Vector3.Zero ? (min, max) : (min + Translation, max + Translation);
            }

            var pivot = LocalPivot;
            var turn = Matrix4x4.CreateRotationY(Yaw);
            var (worldMin, worldMax) = (new Vector3(float.MaxValue), new Vector3(float.MinValue));
            foreach (var corner in new[] { new Vector3(min.X, 0, min.Z), new Vector3(max.X, 0, min.Z), new Vector3(min.X, 0, max.Z), new Vector3(max.X, 0, max.Z) })
            {
                var turned = Vector3.Transform(corner - pivot, turn) + pivot;
                (worldMin, worldMax) = (Vector3.Min(worldMin, turned), Vector3.Max(worldMax, turned));
            }

            return (new Vector3(worldMin.X, min.Y, worldMin.Z) + Translation, new Vector3(worldMax.X, max.Y, worldMax.Z) + Translation);
        }
    }

    public float WorldSupportTop => (SupportTop * Factor) + Translation.Y;

    public float WorldClearance => Clearance * Factor;

    public Matrix4x4 BodyTransform => Matrix4x4.CreateScale(Scale * Factor) * Placement;

    public Matrix4x4 PartTransform => Factor == 1 ? Placement : Matrix4x4.CreateScale(Factor) * Placement;

    private Matrix4x4 Placement
    {
        get
        {
            if (Yaw == 0)
            {
                return Matrix4x4.CreateTranslation(Translation);
            }

            var pivot = LocalPivot;
            return Matrix4x4.CreateTranslation(-pivot) * Matrix4x4.CreateRotationY(Yaw) * Matrix4x4.CreateTranslation(pivot + Translation);
        }
    }

    /// <summary>Turns the item by <paramref name="angle"/> about the vertical through <paramref name="centre"/>.</summary>
    public void TurnAbout(Vector3 centre, float angle)
    {
        var position = Position;
        var turned = Vector3.Transform(position - centre, Matrix4x4.CreateRotationY(angle)) + centre;
        Yaw += angle;
        Translation = turned - LocalPivot;
    }

    /// <summary>Shrinks the item by <paramref name="k"/> towards <paramref name="centre"/>.</summary>
    public void ShrinkTowards(Vector3 centre, float k)
    {
        var position = Position;
        Factor *= k;
        Translation = centre + ((position - centre) * k) - LocalPivot;
    }
}

/// <summary>Items the layout keeps together: whatever moves one of them moves them all.</summary>
internal sealed class SceneCluster(int order)
{
    /// <summary>The first item's place in the prompt, which orders the clusters on the grid.</summary>
    public int Order { get; private set; } = order;

    public List<SceneItem> Items { get; } = [];

    public (Vector3 Min, Vector3 Max) Bounds => SceneLayout.BoundsOf(Items);

    public void Move(Vector3 delta)
    {
        foreach (var item in Items)
        {
            item.Translation += delta;
        }
    }

    public void Absorb(SceneCluster other)
    {
        foreach (var item in other.Items)
        {
            item.Cluster = this;
            Items.Add(item);
        }

        Order = Math.Min(Order, other.Order);
        other.Items.Clear();
    }
}
