using System.Buffers.Binary;
using System.Text;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// The smallest useful binary glTF 2.0: one scene, one node, one mesh of one triangle, its three positions in the
/// BIN chunk. It passes the service's check (magic "glTF", version 2) and a real glTF reader.
/// </summary>
public static class TriangleGlb
{
    public static readonly byte[] Bytes = Build();

    private static byte[] Build()
    {
        float[] positions = [0, 0, 0, 1, 0, 0, 0, 1, 0];
        var bin = new byte[positions.Length * sizeof(float)];
        for (var i = 0; i < positions.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bin.AsSpan(i * sizeof(float)), positions[i]);
        }

        var json = "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}]," +
            "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}]," +
            "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[1,1,0]}]," +
            $"\"bufferViews\":[{{\"buffer\":0,\"byteOffset\":0,\"byteLength\":{bin.Length}}}]," +
            $"\"buffers\":[{{\"byteLength\":{bin.Length}}}]}}";
        // Chunks are 4-byte aligned: JSON padded with spaces (BIN with zeros, already aligned here).
        var jsonBytes = Encoding.ASCII.GetBytes(json.PadRight(json.Length + ((4 - (json.Length % 4)) % 4)));

        var glb = new byte[12 + 8 + jsonBytes.Length + 8 + bin.Length];
        var span = glb.AsSpan();
        "glTF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)glb.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)jsonBytes.Length);
        "JSON"u8.CopyTo(span[16..]);
        jsonBytes.CopyTo(span[20..]);
        var binAt = 20 + jsonBytes.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[binAt..], (uint)bin.Length);
        "BIN\0"u8.CopyTo(span[(binAt + 4)..]);
        bin.CopyTo(span[(binAt + 8)..]);
        return glb;
    }
}
