using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.Models;

/// <summary>
/// Reads a binary glTF 2.0 file into a <see cref="Mesh"/>, one part per material: the triangles of every mesh the
/// default scene places (node matrices or translation, rotation and scale, down the node tree), with POSITION,
/// NORMAL (computed when absent), indices of any integer type or none, and the material's baseColorFactor
/// (times the average COLOR_0, when there is one; textures are not read). Every count, index and byte range is
/// checked against the file and <see cref="ModelLimits"/> before it is used, so a malformed file is an
/// <see cref="UnreadableModelException"/> saying what is wrong, never an exception from deep inside or a huge
/// allocation. Compressed geometry (Draco, meshopt), sparse accessors and external buffers are not supported.
/// </summary>
internal sealed class GlbReader
{
    private const uint Magic = 0x46546C67; // "glTF"
    private const uint JsonChunk = 0x4E4F534A; // "JSON"
    private const uint BinChunk = 0x004E4942; // "BIN\0"
    private const int Triangles = 4;
    private const int TriangleStrip = 5;
    private const int TriangleFan = 6;
    private const int Float = 5126;

    /// <summary>Required extensions that change only materials or textures, which this reader does not use anyway.</summary>
    private static readonly string[] HarmlessExtensions = ["KHR_materials_", "KHR_texture_", "EXT_texture_"];

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    private readonly ReadOnlyMemory<byte> _bin;
    private readonly JsonElement _root;
    private readonly JsonElement _accessors;
    private readonly JsonElement _bufferViews;
    private readonly JsonElement _buffers;

    private GlbReader(JsonElement root, ReadOnlyMemory<byte> bin)
    {
        _root = root;
        _bin = bin;
        _accessors = List(root, "accessors");
        _bufferViews = List(root, "bufferViews");
        _buffers = List(root, "buffers");
    }

    public static Mesh Read(ReadOnlyMemory<byte> glb)
    {
        var (json, bin) = Chunks(glb);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException)
        {
            throw Bad("its JSON chunk is not valid JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Bad("its JSON chunk is not an object");
            }

            try
            {
                return new GlbReader(document.RootElement, bin).ReadScene();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
            {
                // A value of an unexpected JSON kind that no explicit check caught.
                throw Bad("its JSON does not describe a glTF 2.0 model");
            }
        }
    }

    private static (ReadOnlyMemory<byte> Json, ReadOnlyMemory<byte> Bin) Chunks(ReadOnlyMemory<byte> glb)
    {
        var data = glb.Span;
        var available = data.Length;
        if (available < 20 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            throw Bad("it does not start with the binary glTF header");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) != 2)
        {
            throw Bad("it is not glTF version 2");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (length > available || length < 20)
        {
            throw Bad($"its header says {length} bytes but the file has {available}");
        }

        var jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[16..]) != JsonChunk)
        {
            throw Bad("its first chunk is not JSON");
        }

        if (jsonLength > length - 20)
        {
            throw Bad("its JSON chunk runs past the end of the file");
        }

        if (jsonLength > ModelLimits.MaxJsonBytes)
        {
            throw Bad($"its JSON chunk is larger than {ModelLimits.MaxJsonBytes / (1024 * 1024)} MB");
        }

        var json = glb.Slice(20, (int)jsonLength);
        var binAt = 20 + (long)jsonLength;
        if (binAt + 8 > length || BinaryPrimitives.ReadUInt32LittleEndian(data[((int)binAt + 4)..]) != BinChunk)
        {
            // No BIN chunk: only a model without geometry data, which fails later with a clearer reason.
            return (json, ReadOnlyMemory<byte>.Empty);
        }

        var binLength = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)binAt..]);
        if (binLength > length - binAt - 8)
        {
            throw Bad("its BIN chunk runs past the end of the file");
        }

        return (json, glb.Slice((int)binAt + 8, (int)binLength));
    }

    private Mesh ReadScene()
    {
        if (!_root.TryGetProperty("asset", out var asset) || asset.ValueKind != JsonValueKind.Object
            || !asset.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || !version.GetString()!.StartsWith("2.", StringComparison.Ordinal))
        {
            throw Bad("its asset.version is not 2.x");
        }

        foreach (var required in List(_root, "extensionsRequired").EnumerateArray())
        {
            var name = required.ValueKind == JsonValueKind.String ? required.GetString()! : "?";
            if (!HarmlessExtensions.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                throw Bad($"it requires the extension {Printable(name)}, which is not supported");
            }
        }

        var instances = PlaceMeshes();
        var meshes = List(_root, "meshes");
        var primitives = new List<PrimitivePlan>();
        long vertices = 0;
        long triangles = 0;
        foreach (var (meshIndex, transform) in instances)
        {
            var mesh = Item(meshes, meshIndex, "mesh");
            var list = List(mesh, "primitives");
            CheckCount(list, "primitives of a mesh");
            for (var p = 0; p < list.GetArrayLength(); p++)
            {
                if (Plan(list[p], meshIndex, p, transform) is { } plan)
                {
                    primitives.Add(plan);
                    if (primitives.Count > ModelLimits.MaxObjects)
                    {
                        throw Bad($"its scene places more than {ModelLimits.MaxObjects} primitives");
                    }

                    vertices += plan.VertexCount;
                    triangles += plan.TriangleCount;
                    ModelLimits.CheckCounts("glb", vertices, triangles);
                }
            }
        }

        if (triangles == 0)
        {
            throw Bad("its scene has no triangles");
        }

        return Build(primitives);
    }

    /// <summary>Each mesh of the default scene with its node's world transform, walking the node tree without recursion.</summary>
    private List<(int Mesh, Matrix4x4 Transform)> PlaceMeshes()
    {
        var nodes = List(_root, "nodes");
        CheckCount(nodes, "nodes");
        var scenes = List(_root, "scenes");
        IEnumerable<int> roots;
        if (scenes.GetArrayLength() > 0)
        {
            var scene = Item(scenes, OptionalIndex(_root, "scene") ?? 0, "scene");
            roots = [.. List(scene, "nodes").EnumerateArray().Select(n => IndexValue(n, nodes.GetArrayLength(), "node"))];
        }
        else
        {
            // No scene: every node that is nobody's child, as viewers show such files.
            var children = new HashSet<int>();
            foreach (var node in nodes.EnumerateArray())
            {
                foreach (var child in List(node, "children").EnumerateArray())
                {
                    children.Add(IndexValue(child, nodes.GetArrayLength(), "node"));
                }
            }

            roots = Enumerable.Range(0, nodes.GetArrayLength()).Where(n => !children.Contains(n));
        }

        // A node is queued at most once (a second time means the file is no tree), so the queue never outgrows the nodes.
        var placed = new List<(int, Matrix4x4)>();
        var queued = new bool[nodes.GetArrayLength()];
        var pending = new Stack<(int Node, Matrix4x4 Parent)>();
        void Queue(int node, Matrix4x4 parent)
        {
            if (queued[node])
            {
                throw Bad($"node {node} is reached twice; glTF nodes form a tree");
            }

            queued[node] = true;
            pending.Push((node, parent));
        }

        foreach (var root in roots.Reverse())
        {
            Queue(root, Matrix4x4.Identity);
        }

        while (pending.TryPop(out var next))
        {
            var node = Item(nodes, next.Node, "node");
            var world = LocalTransform(node, next.Node) * next.Parent;
            if (OptionalIndex(node, "mesh") is { } mesh)
            {
                placed.Add((mesh, world));
                if (placed.Count > ModelLimits.MaxObjects)
                {
                    throw Bad($"its scene places more than {ModelLimits.MaxObjects} meshes");
                }
            }

            var children = List(node, "children");
            for (var c = children.GetArrayLength() - 1; c >= 0; c--)
            {
                Queue(IndexValue(children[c], nodes.GetArrayLength(), "node"), world);
            }
        }

        return placed;
    }

    /// <summary>
    /// The node's matrix, or its translation × rotation × scale. glTF matrices are column-major for column vectors;
    /// System.Numerics multiplies row vectors, so the 16 numbers fill its rows in order and products run child first.
    /// </summary>
    private static Matrix4x4 LocalTransform(JsonElement node, int index)
    {
        if (node.TryGetProperty("matrix", out var matrix))
        {
            var m = Numbers(matrix, 16, $"node {index}'s matrix");
            return new Matrix4x4(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11], m[12], m[13], m[14], m[15]);
        }

        var t = node.TryGetProperty("translation", out var translation) ? Numbers(translation, 3, $"node {index}'s translation") : [0, 0, 0];
        var r = node.TryGetProperty("rotation", out var rotation) ? Numbers(rotation, 4, $"node {index}'s rotation") : [0, 0, 0, 1];
        var s = node.TryGetProperty("scale", out var scale) ? Numbers(scale, 3, $"node {index}'s scale") : [1, 1, 1];
        var quaternion = new Quaternion(r[0], r[1], r[2], r[3]);
        quaternion = quaternion.LengthSquared() > 0 ? Quaternion.Normalize(quaternion) : Quaternion.Identity;
        return Matrix4x4.CreateScale(s[0], s[1], s[2]) * Matrix4x4.CreateFromQuaternion(quaternion) * Matrix4x4.CreateTranslation(t[0], t[1], t[2]);
    }

    /// <summary>What one primitive will add, its accessors checked; null for points and lines, which have no surface.</summary>
    private PrimitivePlan? Plan(JsonElement primitive, int mesh, int index, Matrix4x4 transform)
    {
        var name = $"primitive {index} of mesh {mesh}";
        if (primitive.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"{name} is not an object");
        }

        var mode = OptionalInt(primitive, "mode") ?? Triangles;
        if (mode is >= 0 and < Triangles)
        {
            return null;
        }

        if (mode > TriangleFan)
        {
            throw Bad($"{name} has the unknown mode {mode}");
        }

        if (!primitive.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object
            || OptionalIndex(attributes, "POSITION") is not { } positionIndex)
        {
            throw Bad($"{name} has no POSITION");
        }

        var positions = AccessorAt(positionIndex);
        if (positions.ComponentType != Float || positions.Components != 3)
        {
            throw Bad($"the POSITION of {name} is not 3 floats per vertex");
        }

        Accessor? normals = null;
        if (OptionalIndex(attributes, "NORMAL") is { } normalIndex && AccessorAt(normalIndex) is { ComponentType: Float, Components: 3 } normal && normal.Count == positions.Count)
        {
            normals = normal;
        }

        Accessor? colors = null;
        if (OptionalIndex(attributes, "COLOR_0") is { } colorIndex && AccessorAt(colorIndex) is { Components: 3 or 4 } color && color.Count == positions.Count
            && (color.ComponentType == Float || (color.Normalized && color.ComponentType is 5121 or 5123)))
        {
            colors = color;
        }

        Accessor? indices = null;
        if (OptionalIndex(primitive, "indices") is { } indicesIndex)
        {
            indices = AccessorAt(indicesIndex);
            if (indices.Components != 1 || indices.ComponentType is not (5121 or 5123 or 5125))
            {
                throw Bad($"the indices of {name} are not unsigned integers");
            }
        }

        var corners = indices?.Count ?? positions.Count;
        var triangles = mode == Triangles ? corners / 3 : Math.Max(0, corners - 2);
        return new PrimitivePlan(name, mode, OptionalIndex(primitive, "material"), transform, positions, normals, colors, indices, positions.Count, triangles);
    }

    private Mesh Build(List<PrimitivePlan> primitives)
    {
        // One part per material, in the order materials first appear; -1 is glTF's default material.
        var order = new List<int>();
        var parts = new Dictionary<int, PartBuilder>();
        foreach (var group in primitives.GroupBy(p => p.Material ?? -1))
        {
            order.Add(group.Key);
            parts[group.Key] = new PartBuilder(new Geometry(group.Sum(p => p.VertexCount), group.Sum(p => p.TriangleCount) * 3));
        }

        foreach (var primitive in primitives)
        {
            Add(parts[primitive.Material ?? -1], primitive);
        }

        var materials = List(_root, "materials");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MeshPart>();
        foreach (var materialIndex in order)
        {
            var part = parts[materialIndex];
            var material = MaterialOf(materials, materialIndex, part, names);
            result.Add(new MeshPart($"part{result.Count}_{material.Name}", material, part.Geometry));
        }

        return new Mesh(result);
    }

    private void Add(PartBuilder part, PrimitivePlan primitive)
    {
        var count = primitive.VertexCount;
        var positions = new Vector3[count];
        for (var i = 0; i < count; i++)
        {
            var p = Vector3.Transform(primitive.Positions.Vector3(_bin.Span, i), primitive.Transform);
            if (!float.IsFinite(p.X) || !float.IsFinite(p.Y) || !float.IsFinite(p.Z))
            {
                throw Bad($"a position of {primitive.Name} is not a finite number");
            }

            positions[i] = p;
        }

        var triangles = Triangulate(primitive);

        // A mirroring transform turns the winding around; swapping two corners keeps front faces counter-clockwise.
        var determinant = primitive.Transform.GetDeterminant();
        if (determinant < 0)
        {
            for (var t = 0; t < triangles.Length; t += 3)
            {
                (triangles[t + 1], triangles[t + 2]) = (triangles[t + 2], triangles[t + 1]);
            }
        }

        var normals = primitive.Normals is { } normalAccessor && Matrix4x4.Invert(primitive.Transform, out var inverse) && determinant != 0
            ? TransformNormals(normalAccessor, Matrix4x4.Transpose(inverse), count)
            : SurfaceNormals.Smooth(positions, triangles);

        var offset = part.Geometry.VertexCount;
        for (var i = 0; i < count; i++)
        {
            part.Geometry.AddVertex(positions[i], normals[i]);
        }

        for (var t = 0; t < triangles.Length; t += 3)
        {
            part.Geometry.AddTriangle(triangles[t] + offset, triangles[t + 1] + offset, triangles[t + 2] + offset);
        }

        // Vertex colours are linear, like baseColorFactor; a vertex without one counts as white.
        if (primitive.Colors is { } colors)
        {
            for (var i = 0; i < count; i++)
            {
                part.ColorSum += colors.Vector3(_bin.Span, i);
            }
        }
        else
        {
            part.ColorSum += new Vector3(count);
        }

        part.ColorCount += count;
    }

    /// <summary>The primitive's corners as triangles (strips and fans unrolled), each index checked against its vertices.</summary>
    private int[] Triangulate(PrimitivePlan primitive)
    {
        var corners = primitive.Indices?.Count ?? primitive.VertexCount;
        var index = new int[corners];
        for (var i = 0; i < corners; i++)
        {
            var value = primitive.Indices is { } indices ? indices.Index(_bin.Span, i) : (uint)i;
            if (value >= primitive.VertexCount)
            {
                throw Bad($"index {value} of {primitive.Name} is out of range of its {primitive.VertexCount} vertices");
            }

            index[i] = (int)value;
        }

        if (primitive.Mode == Triangles)
        {
            return corners % 3 == 0 ? index : index[..(corners - (corners % 3))];
        }

        var triangles = new int[primitive.TriangleCount * 3];
        for (var t = 0; t < primitive.TriangleCount; t++)
        {
            // glTF 2.0, 3.7.2.1: strips alternate their winding; fans turn around the first vertex.
            (triangles[3 * t], triangles[(3 * t) + 1], triangles[(3 * t) + 2]) = primitive.Mode == TriangleStrip
                ? (index[t], index[t + 1 + (t % 2)], index[t + 2 - (t % 2)])
                : (index[t + 1], index[t + 2], index[0]);
        }

        return triangles;
    }

    private Vector3[] TransformNormals(Accessor accessor, Matrix4x4 normalMatrix, int count)
    {
        var normals = new Vector3[count];
        for (var i = 0; i < count; i++)
        {
            normals[i] = SurfaceNormals.Unit(Vector3.TransformNormal(accessor.Vector3(_bin.Span, i), normalMatrix));
        }

        return normals;
    }

    /// <summary>
    /// The part's material: baseColorFactor (linear) times the part's average vertex colour, back to sRGB as the
    /// writers and the preview hold colours; glTF's defaults (white, metallic 1, roughness 1) where a value is missing.
    /// Names are made safe and unique for obj and mtl.
    /// </summary>
    private static Material MaterialOf(JsonElement materials, int index, PartBuilder part, HashSet<string> names)
    {
        var (baseColor, metallic, roughness, name) = (Vector3.One, 1f, 1f, index < 0 ? "default" : $"material{index}");
        if (index >= 0)
        {
            var material = Item(materials, index, "material");
            if (material.TryGetProperty("name", out var given) && given.ValueKind == JsonValueKind.String && SafeName(given.GetString()!) is { Length: > 0 } safe)
            {
                name = safe;
            }

            if (material.TryGetProperty("pbrMetallicRoughness", out var pbr) && pbr.ValueKind == JsonValueKind.Object)
            {
                if (pbr.TryGetProperty("baseColorFactor", out var factor))
                {
                    var rgba = Numbers(factor, 4, $"material {index}'s baseColorFactor");
                    baseColor = new Vector3(rgba[0], rgba[1], rgba[2]);
                }

                metallic = pbr.TryGetProperty("metallicFactor", out var m) ? Numbers(m, 1, $"material {index}'s metallicFactor")[0] : 1f;
                roughness = pbr.TryGetProperty("roughnessFactor", out var r) ? Numbers(r, 1, $"material {index}'s roughnessFactor")[0] : 1f;
            }
        }

        var linear = Vector3.Clamp(baseColor * (part.ColorSum / Math.Max(1, part.ColorCount)), Vector3.Zero, Vector3.One);
        var unique = name;
        for (var n = 2; !names.Add(unique); n++)
        {
            unique = $"{name}_{n}";
        }

        return new Material(unique, new Rgb(ToSrgb(linear.X), ToSrgb(linear.Y), ToSrgb(linear.Z)), Math.Clamp(metallic, 0, 1), Math.Clamp(roughness, 0, 1));
    }

    private static float ToSrgb(float c) => c switch
    {
        <= 0.0031308f => c * 12.92f,
        >= 1f => 1f,
        _ => (1.055f * MathF.Pow(c, 1 / 2.4f)) - 0.055f,
    };

    /// <summary>Letters, digits, '_' and '-' only (obj and mtl names end at whitespace), at most 64 of them.</summary>
    private static string SafeName(string name)
    {
        var safe = new string([.. name.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]);
        return safe.Trim('_');
    }

    /// <summary>An accessor with its bytes located and bounds-checked: every element lies inside its buffer view, buffer and the BIN chunk.</summary>
    private Accessor AccessorAt(int index)
    {
        var name = $"accessor {index}";
        var accessor = Item(_accessors, index, "accessor");
        if (accessor.TryGetProperty("sparse", out _))
        {
            throw Bad($"{name} is sparse, which is not supported");
        }

        var componentType = OptionalInt(accessor, "componentType") ?? throw Bad($"{name} has no componentType");
        var componentSize = componentType switch
        {
            5120 or 5121 => 1,
            5122 or 5123 => 2,
            5125 or Float => 4,
            _ => throw Bad($"{name} has the unknown componentType {componentType}"),
        };
        var components = accessor.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString() switch
            {
                "SCALAR" => 1,
                "VEC2" => 2,
                "VEC3" => 3,
                "VEC4" => 4,
                _ => throw Bad($"{name} is of a type other than SCALAR or VEC2 to VEC4"),
            }
            : throw Bad($"{name} has no type");
        var count = OptionalInt(accessor, "count") ?? throw Bad($"{name} has no count");
        if (count < 1 || count > ModelLimits.MaxTriangles * 3L)
        {
            throw Bad($"{name} has the count {count}");
        }

        var viewIndex = OptionalIndex(accessor, "bufferView") ?? throw Bad($"{name} has no bufferView");
        var view = Item(_bufferViews, viewIndex, "bufferView");
        var bufferIndex = OptionalIndex(view, "buffer") ?? throw Bad($"bufferView {viewIndex} has no buffer");
        var buffer = Item(_buffers, bufferIndex, "buffer");
        if (bufferIndex != 0 || buffer.TryGetProperty("uri", out _))
        {
            throw Bad($"bufferView {viewIndex} uses a buffer outside the file, which is not supported");
        }

        var bufferLength = OptionalLong(buffer, "byteLength") ?? throw Bad($"buffer {bufferIndex} has no byteLength");
        if (bufferLength > _bin.Length)
        {
            throw Bad($"buffer {bufferIndex} is longer than the BIN chunk");
        }

        var viewOffset = OptionalLong(view, "byteOffset") ?? 0;
        var viewLength = OptionalLong(view, "byteLength") ?? throw Bad($"bufferView {viewIndex} has no byteLength");
        if (viewOffset < 0 || viewLength < 1 || viewOffset + viewLength > bufferLength)
        {
            throw Bad($"bufferView {viewIndex} reaches past the end of its buffer");
        }

        var elementSize = components * componentSize;
        var stride = OptionalLong(view, "byteStride") ?? elementSize;
        if (stride < elementSize || stride > 252)
        {
            throw Bad($"bufferView {viewIndex} has the byteStride {stride}, too small for {name}");
        }

        var offset = OptionalLong(accessor, "byteOffset") ?? 0;
        if (offset < 0 || offset + (stride * (count - 1)) + elementSize > viewLength)
        {
            throw Bad($"{name} reaches past the end of its bufferView");
        }

        var normalized = accessor.TryGetProperty("normalized", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new Accessor((int)(viewOffset + offset), (int)stride, count, componentType, components, normalized);
    }

    private static JsonElement List(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var list))
        {
            return EmptyArray;
        }

        return list.ValueKind == JsonValueKind.Array ? list : throw Bad($"'{name}' is not an array");
    }

    private static void CheckCount(JsonElement list, string what)
    {
        if (list.GetArrayLength() > ModelLimits.MaxObjects)
        {
            throw Bad($"it has more than {ModelLimits.MaxObjects} {what}");
        }
    }

    private static JsonElement Item(JsonElement list, int index, string what)
    {
        if (index < 0 || index >= list.GetArrayLength())
        {
            throw Bad($"it refers to {what} {index}, which does not exist");
        }

        var item = list[index];
        return item.ValueKind == JsonValueKind.Object ? item : throw Bad($"{what} {index} is not an object");
    }

    private static int? OptionalIndex(JsonElement parent, string name) => OptionalInt(parent, name) is { } value
        ? value >= 0 ? value : throw Bad($"'{name}' is negative")
        : null;

    private static int IndexValue(JsonElement value, int count, string what) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var index) && index >= 0 && index < count
            ? index
            : throw Bad($"it refers to a {what} that does not exist");

    private static int? OptionalInt(JsonElement parent, string name) => OptionalLong(parent, name) is { } value
        ? value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Bad($"'{name}' is out of range")
        : null;

    private static long? OptionalLong(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw Bad($"'{name}' is not an integer");
    }

    private static float[] Numbers(JsonElement value, int length, string what)
    {
        if (length == 1 && value.ValueKind == JsonValueKind.Number)
        {
            return float.IsFinite(value.GetSingle()) ? [value.GetSingle()] : throw Bad($"{what} is not a finite number");
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != length
            || value.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number))
        {
            throw Bad($"{what} is not {length} numbers");
        }

        var numbers = value.EnumerateArray().Select(n => n.GetSingle()).ToArray();
        return numbers.All(float.IsFinite) ? numbers : throw Bad($"{what} is not {length} finite numbers");
    }

    private static string Printable(string text) =>
        new([.. text.Take(60).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '?')]);

    private static UnreadableModelException Bad(string reason) => new($"The glb cannot be read: {reason}.");

    /// <summary>Where an accessor's elements are in the BIN chunk, and how to read them.</summary>
    private sealed record Accessor(int Start, int Stride, int Count, int ComponentType, int Components, bool Normalized)
    {
        public Vector3 Vector3(ReadOnlySpan<byte> bin, int element)
        {
            var at = Start + (element * Stride);
            var size = ComponentType switch { 5120 or 5121 => 1, 5122 or 5123 => 2, _ => 4 };
            return new Vector3(Component(bin, at), Component(bin, at + size), Component(bin, at + (2 * size)));
        }

        public uint Index(ReadOnlySpan<byte> bin, int element)
        {
            var at = Start + (element * Stride);
            return ComponentType switch
            {
                5121 => bin[at],
                5123 => BinaryPrimitives.ReadUInt16LittleEndian(bin[at..]),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(bin[at..]),
            };
        }

        /// <summary>A component as a float; normalized integers scaled to 0..1 (or -1..1), as glTF defines them.</summary>
        private float Component(ReadOnlySpan<byte> bin, int at) => ComponentType switch
        {
            5120 => Normalized ? Math.Max((sbyte)bin[at] / 127f, -1f) : (sbyte)bin[at],
            5121 => Normalized ? bin[at] / 255f : bin[at],
            5122 => Normalized ? Math.Max(BinaryPrimitives.ReadInt16LittleEndian(bin[at..]) / 32767f, -1f) : BinaryPrimitives.ReadInt16LittleEndian(bin[at..]),
            5123 => Normalized ? BinaryPrimitives.ReadUInt16LittleEndian(bin[at..]) / 65535f : BinaryPrimitives.ReadUInt16LittleEndian(bin[at..]),
            5125 => BinaryPrimitives.ReadUInt32LittleEndian(bin[at..]),
            _ => BinaryPrimitives.ReadSingleLittleEndian(bin[at..]),
        };
    }

    private sealed record PrimitivePlan(
        string Name,
        int Mode,
        int? Material,
        Matrix4x4 Transform,
        Accessor Positions,
        Accessor? Normals,
        Accessor? Colors,
        Accessor? Indices,
        int VertexCount,
        int TriangleCount);

    private sealed class PartBuilder(Geometry geometry)
    {
        public Geometry Geometry { get; } = geometry;

        public Vector3 ColorSum { get; set; }

        public long ColorCount { get; set; }
    }
}
