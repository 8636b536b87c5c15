using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.Models;

/// <summary>
/// Reads a ply (ascii, binary little- or big-endian) into a one-part <see cref="Mesh"/>: the vertex element's x, y, z
/// (and nx, ny, nz when present), the face element's vertex_indices (polygons fanned into triangles), and the
/// vertices' average red, green, blue as the part's colour. Other elements and properties are skipped.
/// </summary>
internal static class PlyReader
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxPolygonCorners = 1024;

    private static readonly Material Grey = new("ply", new Rgb(0.7f, 0.7f, 0.72f), 0f, 0.6f);

    private enum BodyEncoding
    {
        Ascii,
        LittleEndian,
        BigEndian,
    }

    private enum Kind
    {
        Int8,
        UInt8,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Float32,
        Float64,
    }

    public static Mesh Read(ReadOnlySpan<byte> ply)
    {
        var (encoding, elements, bodyStart) = Header(ply);
        var vertexElement = elements.FirstOrDefault(e => e.Name == "vertex") ?? throw Bad("it has no vertex element");
        var faceElement = elements.FirstOrDefault(e => e.Name == "face") ?? throw Bad("it has no face element");
        ModelLimits.CheckCounts("ply", vertexElement.Count, faceElement.Count);
        if (vertexElement.Count > ply.Length - bodyStart)
        {
            // Every vertex takes at least a byte: a count beyond that is a lie, refused before anything is allocated for it.
            throw Bad($"it says {vertexElement.Count} vertices but is too short for them");
        }

        var x = Scalar(vertexElement, "x") ?? throw Bad("its vertices have no x");
        var y = Scalar(vertexElement, "y") ?? throw Bad("its vertices have no y");
        var z = Scalar(vertexElement, "z") ?? throw Bad("its vertices have no z");
        var (nx, ny, nz) = (Scalar(vertexElement, "nx"), Scalar(vertexElement, "ny"), Scalar(vertexElement, "nz"));
        var hasNormals = nx is not null && ny is not null && nz is not null;
        var (red, green, blue) = (Scalar(vertexElement, "red"), Scalar(vertexElement, "green"), Scalar(vertexElement, "blue"));
        var hasColors = red is not null && green is not null && blue is not null;
        var indices = faceElement.Properties.FindIndex(p => p.IsList && p.Name is "vertex_indices" or "vertex_index");
        if (indices < 0)
        {
            throw Bad("its faces have no vertex_indices list");
        }

        var positions = new Vector3[vertexElement.Count];
        var normals = hasNormals ? new Vector3[vertexElement.Count] : null;
        var colorSum = Vector3.Zero;
        var triangles = new List<int>(Math.Min(faceElement.Count * 3, ply.Length - bodyStart));
        var values = new Values(ply[bodyStart..], encoding);
        // Elements after both the vertices and the faces are not needed.
        var last = Math.Max(elements.IndexOf(vertexElement), elements.IndexOf(faceElement));
        foreach (var element in elements.Take(last + 1))
        {
            if (element == vertexElement)
            {
                var row = new double[element.Properties.Count];
                for (var v = 0; v < element.Count; v++)
                {
                    for (var p = 0; p < row.Length; p++)
                    {
                        row[p] = element.Properties[p].IsList ? values.SkipList(element.Properties[p]) : values.Next(element.Properties[p].Type);
                    }

                    positions[v] = Finite(new Vector3((float)row[x], (float)row[y], (float)row[z]));
                    if (normals is not null)
                    {
                        normals[v] = SurfaceNormals.Unit(new Vector3((float)row[nx!.Value], (float)row[ny!.Value], (float)row[nz!.Value]));
                    }

                    if (hasColors)
                    {
                        colorSum += new Vector3(Channel(element, red!.Value, row), Channel(element, green!.Value, row), Channel(element, blue!.Value, row));
                    }
                }
            }
            else if (element == faceElement)
            {
                var corners = new int[MaxPolygonCorners];
                for (var f = 0; f < element.Count; f++)
                {
                    for (var p = 0; p < element.Properties.Count; p++)
                    {
                        var property = element.Properties[p];
                        if (p != indices)
                        {
                            _ = property.IsList ? values.SkipList(property) : values.Next(property.Type);
                            continue;
                        }

                        var count = values.Next(property.CountType);
                        if (count is < 0 or > MaxPolygonCorners || count != Math.Floor(count))
                        {
                            throw Bad($"face {f} has {count} corners");
                        }

                        for (var c = 0; c < count; c++)
                        {
                            var index = values.Next(property.Type);
                            corners[c] = index >= 0 && index < vertexElement.Count && index == Math.Floor(index)
                                ? (int)index
                                : throw Bad($"face {f} refers to vertex {index}, out of range of the {vertexElement.Count} vertices");
                        }

                        // A polygon becomes a fan of triangles around its first corner.
                        for (var c = 2; c < count; c++)
                        {
                            triangles.Add(corners[0]);
                            triangles.Add(corners[c - 1]);
                            triangles.Add(corners[c]);
                        }

                        ModelLimits.CheckCounts("ply", vertexElement.Count, triangles.Count / 3);
                    }
                }
            }
            else
            {
                for (var e = 0; e < element.Count && element.Properties.Count > 0; e++)
                {
                    foreach (var property in element.Properties)
                    {
                        _ = property.IsList ? values.SkipList(property) : values.Next(property.Type);
                    }
                }
            }
        }

        if (triangles.Count == 0)
        {
            throw Bad("it has no triangles");
        }

        var geometry = new Geometry(positions.Length, triangles.Count);
        var vertexNormals = normals ?? SurfaceNormals.Smooth(positions, triangles);
        for (var v = 0; v < positions.Length; v++)
        {
            geometry.AddVertex(positions[v], vertexNormals[v]);
        }

        for (var t = 0; t < triangles.Count; t += 3)
        {
            geometry.AddTriangle(triangles[t], triangles[t + 1], triangles[t + 2]);
        }

        var average = Vector3.Clamp(colorSum / Math.Max(1, positions.Length), Vector3.Zero, Vector3.One);
        var material = hasColors ? Grey with { Color = new Rgb(average.X, average.Y, average.Z) } : Grey;
        return new Mesh([new MeshPart("part0_ply", material, geometry)]);
    }

    private static (BodyEncoding Encoding, List<Element> Elements, int BodyStart) Header(ReadOnlySpan<byte> ply)
    {
        if (!ply.StartsWith("ply\n"u8) && !ply.StartsWith("ply\r\n"u8))
        {
            throw Bad("it does not start with 'ply'");
        }

        var window = ply[..Math.Min(ply.Length, MaxHeaderBytes)];
        var end = window.IndexOf("end_header"u8);
        var newline = end < 0 ? -1 : window[end..].IndexOf((byte)'\n');
        if (end < 0 || newline < 0)
        {
            throw Bad($"it has no end_header in its first {MaxHeaderBytes / 1024} KB");
        }

        BodyEncoding? encoding = null;
        var elements = new List<Element>();
        foreach (var raw in System.Text.Encoding.ASCII.GetString(ply[..end]).Split('\n').Skip(1))
        {
            var words = raw.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case []:
                case ["comment" or "obj_info", ..]:
                    break;
                case ["format", var name, _]:
                    encoding = name switch
                    {
                        "ascii" => BodyEncoding.Ascii,
                        "binary_little_endian" => BodyEncoding.LittleEndian,
                        "binary_big_endian" => BodyEncoding.BigEndian,
                        _ => throw Bad($"its format '{Printable(name)}' is not ascii or binary"),
                    };
                    break;
                case ["element", var name, var count]:
                    elements.Add(new Element(name, int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Bad($"element {Printable(name)} has the count '{Printable(count)}'"), []));
                    break;
                case ["property", "list", var countType, var itemType, var name] when elements.Count > 0:
                    elements[^1].Properties.Add(new Property(name, KindOf(itemType), true, KindOf(countType)));
                    break;
                case ["property", var type, var name] when elements.Count > 0:
                    elements[^1].Properties.Add(new Property(name, KindOf(type), false, Kind.UInt8));
                    break;
                default:
                    throw Bad($"its header line '{Printable(raw)}' is not understood");
            }
        }

        return (encoding ?? throw Bad("its header names no format"), elements, end + newline + 1);
    }

    private static int? Scalar(Element element, string name)
    {
        var index = element.Properties.FindIndex(p => p.Name == name && !p.IsList);
        return index < 0 ? null : index;
    }

    /// <summary>A colour channel as 0..1: integer channels are bytes (or 16-bit), float ones already 0..1.</summary>
    private static float Channel(Element element, int property, double[] row) => element.Properties[property].Type switch
    {
        Kind.UInt8 or Kind.Int8 => (float)(row[property] / 255),
        Kind.UInt16 or Kind.Int16 => (float)(row[property] / 65535),
        _ => (float)row[property],
    };

    private static Kind KindOf(string type) => type switch
    {
        "char" or "int8" => Kind.Int8,
        "uchar" or "uint8" => Kind.UInt8,
        "short" or "int16" => Kind.Int16,
        "ushort" or "uint16" => Kind.UInt16,
        "int" or "int32" => Kind.Int32,
        "uint" or "uint32" => Kind.UInt32,
        "float" or "float32" => Kind.Float32,
        "double" or "float64" => Kind.Float64,
        _ => throw Bad($"the property type '{Printable(type)}' is not known"),
    };

    private static Vector3 Finite(Vector3 v) =>
        float.IsFinite(v.X) && float.IsFinite(v.Y) && float.IsFinite(v.Z) ? v : throw Bad("a position is not a finite number");

    private static string Printable(string text) =>
        new([.. text.Take(60).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    private static UnreadableModelException Bad(string reason) => new($"The ply cannot be read: {reason}.");

    private sealed record Property(string Name, Kind Type, bool IsList, Kind CountType);

    private sealed record Element(string Name, int Count, List<Property> Properties);

    /// <summary>The body's values one after another, in the file's encoding; running out of them is an error.</summary>
    private ref struct Values
    {
        private readonly ReadOnlySpan<byte> _body;
        private readonly BodyEncoding _encoding;
        private int _at;

        public Values(ReadOnlySpan<byte> body, BodyEncoding encoding)
        {
            _body = body;
            _encoding = encoding;
        }

        public double Next(Kind kind) => _encoding == BodyEncoding.Ascii ? NextText() : NextBinary(kind);

        public double SkipList(Property property)
        {
            var count = Next(property.CountType);
            if (count is < 0 or > MaxPolygonCorners)
            {
                throw Bad($"a list of {property.Name} has {count} items");
            }

            for (var i = 0; i < count; i++)
            {
                Next(property.Type);
            }

            return 0;
        }

        private double NextBinary(Kind kind)
        {
            var size = kind switch
            {
                Kind.Int8 or Kind.UInt8 => 1,
                Kind.Int16 or Kind.UInt16 => 2,
                Kind.Float64 => 8,
                _ => 4,
            };
            if (_at + size > _body.Length)
            {
                throw Bad("it ends before its last element");
            }

            var bytes = _body.Slice(_at, size);
            _at += size;
            var little = _encoding == BodyEncoding.LittleEndian;
            return kind switch
            {
                Kind.Int8 => (sbyte)bytes[0],
                Kind.UInt8 => bytes[0],
                Kind.Int16 => little ? BinaryPrimitives.ReadInt16LittleEndian(bytes) : BinaryPrimitives.ReadInt16BigEndian(bytes),
                Kind.UInt16 => little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes),
                Kind.Int32 => little ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadInt32BigEndian(bytes),
                Kind.UInt32 => little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes),
                Kind.Float32 => little ? BinaryPrimitives.ReadSingleLittleEndian(bytes) : BinaryPrimitives.ReadSingleBigEndian(bytes),
                _ => little ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : BinaryPrimitives.ReadDoubleBigEndian(bytes),
            };
        }

        private double NextText()
        {
            while (_at < _body.Length && _body[_at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                _at++;
            }

            var start = _at;
            while (_at < _body.Length && _body[_at] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                _at++;
            }

            if (start == _at)
            {
                throw Bad("it ends before its last element");
            }

            return double.TryParse(_body[start.._at], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Bad($"'{Printable(System.Text.Encoding.ASCII.GetString(_body[start..Math.Min(_at, start + 40)]))}' is not a number");
        }
    }
}
