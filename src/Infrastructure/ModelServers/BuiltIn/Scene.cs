using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>Where one instance of an object, or one part joined to it, ended up in the scene.</summary>
/// <param name="Object">The index of its object in <see cref="PromptSpec.Objects"/>.</param>
/// <param name="Instance">Which instance of the object (or, for a part, of its owner).</param>
/// <param name="Shape">What was built.</param>
/// <param name="Min">The lowest corner of its vertices' box.</param>
/// <param name="Max">The highest corner of its vertices' box.</param>
/// <param name="Position">The centre of its footprint at its base: the point it stands on and turns about.</param>
/// <param name="Front">The way its front faces (+z for most things, +x for a car).</param>
internal sealed record PlacedObject(int Object, int Instance, ShapeKind Shape, Vector3 Min, Vector3 Max, Vector3 Position, Vector3 Front)
{
    public Vector3 Centre => (Min + Max) / 2;

    public Vector3 Size => Max - Min;
}

/// <summary>The built model and where each thing in it went, worked out only when asked (by tests, mostly).</summary>
internal sealed class Scene(Mesh mesh, Func<IReadOnlyList<PlacedObject>> objects)
{
    private readonly Lazy<IReadOnlyList<PlacedObject>> _objects = new(objects);

    public Mesh Mesh { get; } = mesh;

    public IReadOnlyList<PlacedObject> Objects => _objects.Value;

    public Scene WithMesh(Mesh other) => new(other, () => Objects);
}
