using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>A part to put on each instance of its owner, with the material it is painted in.</summary>
/// <param name="Object">The part's index in <see cref="PromptSpec.Objects"/>.</param>
/// <param name="Spec">What the prompt said of it.</param>
/// <param name="Material">Its colour, the prompt's or the part's usual one.</param>
internal sealed record PartToAttach(int Object, ObjectSpec Spec, Material Material);

/// <summary>
/// Fits parts joined by "with" to the box of their owner's scaled body, where such parts belong: roofs, hats,
/// lids and spires on top (each on the one before, a roof a little wider than the body and 0.6 of its width
/// high, a hat 0.7 of its width, a lid flat, a spire narrow and tall), a chimney at the back right of the top
/// reaching above a roof, wheels half below the bottom on the front and back sides (lifting the object), legs
/// under the corners (lifting it by half its height), doors at the bottom and windows in the upper half of the
/// front face, handles as upright rings on the right side (and the left for two). A part's own size words
/// scale it after that.
/// </summary>
internal static class Attachments
{
    public static List<ItemPart> Fit((Vector3 Min, Vector3 Max) body, IReadOnlyList<PartToAttach> parts, Func<ShapeKind, Material, MeshAssembly> unit)
    {
        var fitted = new List<ItemPart>();
        var (min, max) = body;
        var size = max - min;
        var (cx, cz) = ((min.X + max.X) / 2, (min.Z + max.Z) / 2);
        var across = Math.Max(size.X, size.Z);
        var narrow = Math.Min(size.X, size.Z);
        var top = max.Y;
        foreach (var part in parts)
        {
            var spec = part.Spec;
            var words = SceneBuilder.Scale(spec.Size, spec.Shape);
            var geometry = unit(spec.Shape, part.Material);
            var boxes = new List<(Vector3 Min, Vector3 Max)>();
            Matrix4x4? turn = null;
            void OnTop(float width, float height, float depth)
            {
                var dims = new Vector3(width, height, depth) * words;
                boxes.Add((new Vector3(cx - (dims.X / 2), top, cz - (dims.Z / 2)), new Vector3(cx + (dims.X / 2), top + dims.Y, cz + (dims.Z / 2))));
                top += dims.Y;
            }

            switch (spec.Part)
            {
                case PartKind.Hat:
                    var hat = 0.7f * narrow;
                    OnTop(hat, hat * spec.Shape switch { ShapeKind.Cone => 0.9f, ShapeKind.Cylinder => 0.7f, ShapeKind.Dome => 0.5f, _ => 1f }, hat);
                    break;
                case PartKind.Lid:
                    OnTop(size.X * 1.04f, 0.1f * across, size.Z * 1.04f);
                    break;
                case PartKind.Spire:
                    OnTop(0.3f * narrow, 1.2f * across, 0.3f * narrow);
                    break;
                case PartKind.Chimney:
                    var chimney = new Vector3(0.16f * across, (0.35f * across) + (top - max.Y), 0.16f * across) * words;
                    var foot = new Vector3(cx + (0.25f * size.X), max.Y, cz - (0.25f * size.Z));
                    boxes.Add((foot - new Vector3(chimney.X / 2, 0, chimney.Z / 2), foot + new Vector3(chimney.X / 2, chimney.Y, chimney.Z / 2)));
                    break;
                case PartKind.Wheels:
                    // Cylinders turned so their axis runs along z, split between the front and the back side.
                    turn = Matrix4x4.CreateRotationX(MathF.PI / 2);
                    var wheel = new Vector3(Math.Min(0.45f * size.Y, 0.35f * size.X), Math.Min(0.45f * size.Y, 0.35f * size.X), 0.3f * Math.Min(0.45f * size.Y, 0.35f * size.X)) * words;
                    var front = (spec.Count + 1) / 2;
                    foreach (var (count, z) in new[] { (front, max.Z + (wheel.Z / 2)), (spec.Count - front, min.Z - (wheel.Z / 2)) })
                    {
                        foreach (var x in Spread(min.X, size.X, count, 0.2f))
                        {
                            var centre = new Vector3(x, min.Y, z);
                            boxes.Add((centre - (wheel / 2), centre + (wheel / 2)));
                        }
                    }

                    break;
                case PartKind.Legs:
                    var leg = new Vector3(0.08f * narrow, 0.5f * size.Y, 0.08f * narrow) * words;
                    foreach (var (x, z) in LegSpots(spec.Count, min, size, leg.X))
                    {
                        boxes.Add((new Vector3(x - (leg.X / 2), min.Y - leg.Y, z - (leg.Z / 2)), new Vector3(x + (leg.X / 2), min.Y, z + (leg.Z / 2))));
                    }

                    break;
                case PartKind.Door or PartKind.Windows:
                    var isDoor = spec.Part == PartKind.Door;
                    var width = Math.Min(isDoor ? 0.25f : 0.18f, 0.8f / spec.Count) * size.X;
                    var pane = new Vector3(width, (isDoor ? 0.5f : 0.18f) * size.Y, Math.Max(0.01f, 0.04f * size.Z)) * words;
                    var bottom = isDoor ? min.Y : min.Y + (0.65f * size.Y) - (pane.Y / 2);
                    foreach (var x in Spread(min.X, size.X, spec.Count, 0f))
                    {
                        boxes.Add((new Vector3(x - (pane.X / 2), bottom, max.Z - (pane.Z / 2)), new Vector3(x + (pane.X / 2), bottom + pane.Y, max.Z + (pane.Z / 2))));
                    }

                    break;
                case PartKind.Handle:
                    // A ring turned upright, across x, its inner part sunk into the side.
                    turn = Matrix4x4.CreateRotationX(MathF.PI / 2);
                    var ring = new Vector3(0.5f * size.Y, 0.5f * size.Y, 0.15f * size.Y) * words;
                    var middle = min.Y + (size.Y / 2) - (ring.Y / 2);
                    boxes.Add((new Vector3(max.X - (0.3f * ring.X), middle, cz - (ring.Z / 2)), new Vector3(max.X + (0.7f * ring.X), middle + ring.Y, cz + (ring.Z / 2))));
                    if (spec.Count > 1)
                    {
                        boxes.Add((new Vector3(min.X - (0.7f * ring.X), middle, cz - (ring.Z / 2)), new Vector3(min.X + (0.3f * ring.X), middle + ring.Y, cz + (ring.Z / 2))));
                    }

                    break;
                default:
                    var (roofWidth, roofDepth) = (size.X * 1.1f, size.Z * 1.1f);
                    var wide = Math.Max(roofWidth, roofDepth);
                    var height = spec.Shape switch
                    {
                        ShapeKind.Dome => 0.5f * wide,
                        ShapeKind.Cube or ShapeKind.Cylinder or ShapeKind.Plane => 0.15f * wide,
                        ShapeKind.Torus => 0.3f * wide,
                        ShapeKind.Sphere or ShapeKind.Blob => wide,
                        _ => 0.6f * wide,
                    };
                    OnTop(roofWidth, height, roofDepth);
                    break;
            }

            // A part of a flat thing (wheels on a plane) would have no thickness: it is left off.
            foreach (var box in boxes.Where(b => (b.Max - b.Min) is { X: > 1e-3f, Y: > 1e-3f, Z: > 1e-3f }))
            {
                fitted.Add(new ItemPart(part.Object, spec.Shape, Into(geometry, turn, box)));
            }
        }

        return fitted;
    }

    /// <summary><paramref name="count"/> centres along an edge from <paramref name="start"/>, <paramref name="inset"/> of it in from each end (evenly, for 0).</summary>
    private static IEnumerable<float> Spread(float start, float length, int count, float inset)
    {
        for (var i = 0; i < count; i++)
        {
            yield return count == 1 ? start + (length / 2)
                : inset > 0 ? start + (length * (inset + ((1 - (2 * inset)) * i / (count - 1))))
                : start + (length * (i + 1) / (count + 1));
        }
    }

    /// <summary>Four legs at the corners; other numbers evenly on an ellipse inside the footprint, one in the middle.</summary>
    private static IEnumerable<(float X, float Z)> LegSpots(int count, Vector3 min, Vector3 size, float thickness)
    {
        var (cx, cz) = (min.X + (size.X / 2), min.Z + (size.Z / 2));
        var (rx, rz) = ((size.X / 2) - thickness, (size.Z / 2) - thickness);
        if (count == 1)
        {
            yield return (cx, cz);
        }
        else if (count == 4)
        {
            foreach (var (x, z) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
            {
                yield return (cx + (x * rx), cz + (z * rz));
            }
        }
        else
        {
            for (var k = 0; k < count; k++)
            {
                var (sin, cos) = MathF.SinCos((MathF.Tau * k / count) + (MathF.PI / 2));
                yield return (cx + (rx * cos), cz + (rz * sin));
            }
        }
    }

    /// <summary>The unit geometry, turned, then stretched and moved to fill <paramref name="box"/>.</summary>
    private static MeshAssembly Into(MeshAssembly unit, Matrix4x4? turn, (Vector3 Min, Vector3 Max) box)
    {
        var shape = unit;
        if (turn is { } rotation)
        {
            shape = new MeshAssembly();
            shape.AddAll(unit, rotation);
        }

        var (min, max) = shape.Bounds();
        var size = max - min;
        var target = box.Max - box.Min;
        var stretch = new Vector3(
            size.X > 1e-6f ? target.X / size.X : 1,
            size.Y > 1e-6f ? target.Y / size.Y : 1,
            size.Z > 1e-6f ? target.Z / size.Z : 1);
        var placed = new MeshAssembly();
        placed.AddAll(shape, Matrix4x4.CreateTranslation(-min) * Matrix4x4.CreateScale(stretch) * Matrix4x4.CreateTranslation(box.Min));
        return placed;
    }
}
