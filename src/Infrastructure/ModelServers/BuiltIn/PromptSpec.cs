namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

internal enum ShapeKind
{
    /// <summary>Nothing recognised: a seeded, noise-displaced sphere.</summary>
    Blob,
    Cube,
    Sphere,
    Cylinder,
    Cone,
    Pyramid,
    Torus,
    Plane,
    Table,
    Chair,
    Tree,
    House,
    Snowman,
    Car,

    /// <summary>A square tower, twice as tall as wide.</summary>
    Tower,

    /// <summary>A half sphere on a flat base.</summary>
    Dome,
}

/// <summary>The size words an object was given; several combine ("a tall thin tower").</summary>
[Flags]
internal enum SizeKind
{
    Normal = 0,
    Small = 1,
    Large = 2,
    Tall = 4,

    /// <summary>Flat or thin: a quarter of the height, or half the width next to tall or long.</summary>
    Flat = 8,
    Short = 16,
    Wide = 32,
    Narrow = 64,
    Long = 128,
}

/// <summary>What a part joined to its object by "with" is, which says where it goes on the object.</summary>
internal enum PartKind
{
    /// <summary>A thing of its own, not a part.</summary>
    None,

    /// <summary>On top, a little wider than the object: "a pyramid roof", and pyramids, cones and domes with no part word.</summary>
    Roof,

    /// <summary>On top, narrower than the object.</summary>
    Hat,

    /// <summary>On top, flat, as wide as the object.</summary>
    Lid,

    /// <summary>On top, narrow and tall.</summary>
    Spire,

    /// <summary>On top, small, towards the back right corner.</summary>
    Chimney,

    /// <summary>On both long sides at the bottom, lifting the object.</summary>
    Wheels,

    /// <summary>On the front face at the bottom.</summary>
    Door,

    /// <summary>On the front face, upper half.</summary>
    Windows,

    /// <summary>On the right side, upright rings (both sides for two).</summary>
    Handle,

    /// <summary>Under the object's corners, lifting it.</summary>
    Legs,
}

internal enum RelationKind
{
    /// <summary>The subjects rest on the anchor's top.</summary>
    On,

    /// <summary>The subjects go under the anchor: beneath a table or chair, otherwise the anchor rests on them.</summary>
    Under,

    /// <summary>To the anchor's right.</summary>
    Beside,
    LeftOf,
    RightOf,

    /// <summary>Further from the viewer (−z).</summary>
    Behind,

    /// <summary>Nearer the viewer (+z).</summary>
    InFrontOf,

    /// <summary>On a circle around the anchor, facing it.</summary>
    Around,
}

internal enum Arrangement
{
    /// <summary>Side by side along x.</summary>
    Row,

    /// <summary>Each on top of the one before.</summary>
    Stack,

    /// <summary>On a circle, facing its centre.</summary>
    Circle,
}

/// <summary>
/// One thing the prompt asks for: "three small red cubes". A null colour leaves it to the generator. A part
/// ("a tower with a pyramid roof") names its <see cref="Owner"/>, and every instance of the owner gets it.
/// </summary>
internal sealed record ObjectSpec(ShapeKind Shape, Material? Color, int Count, SizeKind Size)
{
    public PartKind Part { get; init; }

    /// <summary>The index of the object this is a part of; null for a thing of its own.</summary>
    public int? Owner { get; init; }
}

/// <summary>"the subjects are {kind} the anchor", by indices into <see cref="PromptSpec.Objects"/>.</summary>
internal sealed record Relation(IReadOnlyList<int> Subjects, RelationKind Kind, int Anchor);

/// <summary>The instances of these objects arranged together: "five cubes in a row", "a stack of boxes".</summary>
internal sealed record Grouping(IReadOnlyList<int> Objects, Arrangement Arrangement);

/// <summary>What a prompt asks for, how its objects relate, plus the colours its negative prompt rules out.</summary>
internal sealed record PromptSpec(IReadOnlyList<ObjectSpec> Objects, IReadOnlySet<string> ExcludedColors, string NormalizedPrompt)
{
    public IReadOnlyList<Relation> Relations { get; init; } = [];

    public IReadOnlyList<Grouping> Groupings { get; init; } = [];

    public bool IsFallback => Objects.All(o => o.Shape == ShapeKind.Blob);
}
