using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Binary glTF 2.0: a 12-byte header, a JSON chunk padded with spaces and a BIN chunk padded with zeros.
/// One node holds one mesh with a primitive per part; every accessor gets its own buffer view (so none needs
/// a byteStride), and every object written is used, so the Khronos validator has nothing to report.
/// </summary>
internal static class GlbWriter
{
    private const uint Magic = 0x46546C67; // "glTF"
    private const uint JsonChunk = 0x4E4F534A; // "JSON"
    private const uint BinChunk = 0x004E4942; // "BIN\0"
    private const int ArrayBuffer = 34962;
    private const int ElementArrayBuffer = 34963;
    private const int Float = 5126;
    private const int UnsignedShort = 5123;
    private const int UnsignedInt = 5125;

    public static void Write(Mesh mesh, Stream output)
    {
        var views = new List<(int Offset, int Length, int Target)>();
        var binLength = 0;
        int View(int length, int target)
        {
            views.Add((binLength, length, target));
            binLength += Align4(length);
            return views.Count - 1;
        }

        // Per part: positions, normals, indices. 65535 is the primitive restart value, so 16-bit indices
        // are only for parts with fewer vertices than that.
        var layouts = new List<(int Position, int Normal, int Indices, bool Short)>(mesh.Parts.Count);
        foreach (var part in mesh.Parts)
        {
            var vertices = part.Geometry.VertexCount;
            var shortIndices = vertices < ushort.MaxValue;
            var position = View(vertices * 12, ArrayBuffer);
            var normal = View(vertices * 12, ArrayBuffer);
            var indices = View(part.Geometry.Indices.Count * (shortIndices ? 2 : 4), ElementArrayBuffer);
            layouts.Add((position, normal, indices, shortIndices));
        }

        var json = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(json))
        {
            WriteJson(writer, mesh, layouts, views, binLength);
        }

        var jsonLength = Align4(json.WrittenCount);
        using var bin = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        bin.Write(Magic);
        bin.Write(2u);
        bin.Write((uint)(12 + 8 + jsonLength + 8 + binLength));

        bin.Write((uint)jsonLength);
        bin.Write(JsonChunk);
        bin.Write(json.WrittenSpan);
        Pad(bin, jsonLength - json.WrittenCount, (byte)' ');

        bin.Write((uint)binLength);
        bin.Write(BinChunk);
        for (var i = 0; i < mesh.Parts.Count; i++)
        {
            var geometry = mesh.Parts[i].Geometry;
            WriteVectors(bin, geometry.Positions);
            WriteVectors(bin, geometry.Normals);
            foreach (var index in geometry.Indices)
            {
                if (layouts[i].Short)
                {
                    bin.Write((ushort)index);
                }
                else
                {
                    bin.Write((uint)index);
                }
            }

            var indexBytes = views[layouts[i].Indices].Length;
            Pad(bin, Align4(indexBytes) - indexBytes, 0);
        }
    }

    private static void WriteJson(
        Utf8JsonWriter w,
        Mesh mesh,
        List<(int Position, int Normal, int Indices, bool Short)> layouts,
        List<(int Offset, int Length, int Target)> views,
        int binLength)
    {
        w.WriteStartObject();
        w.WriteStartObject("asset");
        w.WriteString("version", "2.0");
        w.WriteString("generator", "CleanBackend built-in generator");
        w.WriteEndObject();

        w.WriteNumber("scene", 0);
        w.WriteStartArray("scenes");
        w.WriteStartObject();
        w.WriteStartArray("nodes");
        w.WriteNumberValue(0);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartArray("nodes");
        w.WriteStartObject();
        w.WriteString("name", "model");
        w.WriteNumber("mesh", 0);
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartArray("meshes");
        w.WriteStartObject();
        w.WriteString("name", "model");
        w.WriteStartArray("primitives");
        for (var i = 0; i < mesh.Parts.Count; i++)
        {
            w.WriteStartObject();
            w.WriteStartObject("attributes");
            w.WriteNumber("POSITION", 3 * i);
            w.WriteNumber("NORMAL", (3 * i) + 1);
            w.WriteEndObject();
            w.WriteNumber("indices", (3 * i) + 2);
            w.WriteNumber("material", i);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartArray("materials");
        foreach (var part in mesh.Parts)
        {
            var color = part.Material.Color.ToLinear();
            w.WriteStartObject();
            w.WriteString("name", part.Material.Name);
            w.WriteStartObject("pbrMetallicRoughness");
            w.WriteStartArray("baseColorFactor");
            // Factors need no exactness, so they are rounded for a readable file.
            foreach (var channel in (ReadOnlySpan<float>)[color.R, color.G, color.B, 1f])
            {
                w.WriteNumberValue(Math.Round(channel, 6));
            }

            w.WriteEndArray();
            w.WriteNumber("metallicFactor", Math.Round(part.Material.Metallic, 6));
            w.WriteNumber("roughnessFactor", Math.Round(part.Material.Roughness, 6));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("accessors");
        for (var i = 0; i < mesh.Parts.Count; i++)
        {
            var geometry = mesh.Parts[i].Geometry;
            var (min, max) = geometry.Bounds();
            w.WriteStartObject();
            w.WriteNumber("bufferView", layouts[i].Position);
            w.WriteNumber("componentType", Float);
            w.WriteNumber("count", geometry.VertexCount);
            w.WriteString("type", "VEC3");
            // Required for POSITION, and must equal the data exactly: written as the doubles the floats are.
            w.WriteStartArray("min");
            WriteFloats(w, min.X, min.Y, min.Z);
            w.WriteEndArray();
            w.WriteStartArray("max");
            WriteFloats(w, max.X, max.Y, max.Z);
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject();
            w.WriteNumber("bufferView", layouts[i].Normal);
            w.WriteNumber("componentType", Float);
            w.WriteNumber("count", geometry.VertexCount);
            w.WriteString("type", "VEC3");
            w.WriteEndObject();

            w.WriteStartObject();
            w.WriteNumber("bufferView", layouts[i].Indices);
            w.WriteNumber("componentType", layouts[i].Short ? UnsignedShort : UnsignedInt);
            w.WriteNumber("count", geometry.Indices.Count);
            w.WriteString("type", "SCALAR");
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("bufferViews");
        foreach (var (offset, length, target) in views)
        {
            w.WriteStartObject();
            w.WriteNumber("buffer", 0);
            w.WriteNumber("byteOffset", offset);
            w.WriteNumber("byteLength", length);
            w.WriteNumber("target", target);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("buffers");
        w.WriteStartObject();
        w.WriteNumber("byteLength", binLength);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFloats(Utf8JsonWriter w, params ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            w.WriteNumberValue((double)value);
        }
    }

    private static void WriteVectors(BinaryWriter bin, IReadOnlyList<Vector3> vectors)
    {
        foreach (var v in vectors)
        {
            bin.Write(v.X);
            bin.Write(v.Y);
            bin.Write(v.Z);
        }
    }

    private static void Pad(BinaryWriter bin, int count, byte value)
    {
        for (var i = 0; i < count; i++)
        {
            bin.Write(value);
        }
    }

    private static int Align4(int length) => (length + 3) & ~3;
}
