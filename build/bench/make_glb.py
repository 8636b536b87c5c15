"""Writes a valid binary glTF 2.0 file of about the given size: one triangle mesh (a wavy grid).

usage: make_glb.py OUT.glb [MEGABYTES]
"""
import json
import math
import struct
import sys


def make(path, megabytes=5.0):
    # Positions (12 bytes a vertex) and uint32 indices (12 bytes a triangle, about 2 a vertex).
    target = int(megabytes * 1024 * 1024)
    side = max(2, int(math.sqrt(target / 36)))
    positions = bytearray()
    lo, hi = [math.inf] * 3, [-math.inf] * 3
    for row in range(side):
        for col in range(side):
            x, z = col / (side - 1) - 0.5, row / (side - 1) - 0.5
            y = 0.05 * math.sin(x * 20) * math.cos(z * 20)
            for axis, value in enumerate((x, y, z)):
                value = struct.unpack("<f", struct.pack("<f", value))[0]
                lo[axis], hi[axis] = min(lo[axis], value), max(hi[axis], value)
            positions += struct.pack("<3f", x, y, z)
    indices = bytearray()
    for row in range(side - 1):
        for col in range(side - 1):
            a = row * side + col
            b, c, d = a + 1, a + side, a + side + 1
            indices += struct.pack("<6I", a, c, b, b, c, d)
    binary = bytes(positions) + bytes(indices)
    doc = {
        "asset": {"version": "2.0", "generator": "CleanBackend bench"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": len(positions), "target": 34962},
            {"buffer": 0, "byteOffset": len(positions), "byteLength": len(indices), "target": 34963},
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": side * side, "type": "VEC3", "min": lo, "max": hi},
            {"bufferView": 1, "componentType": 5125, "count": len(indices) // 4, "type": "SCALAR"},
        ],
    }
    text = json.dumps(doc, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    binary += b"\0" * (-len(binary) % 4)
    total = 12 + 8 + len(text) + 8 + len(binary)
    with open(path, "wb") as f:
        f.write(struct.pack("<4sII", b"glTF", 2, total))
        f.write(struct.pack("<I4s", len(text), b"JSON") + text)
        f.write(struct.pack("<I4s", len(binary), b"BIN\0") + binary)
    return total


if __name__ == "__main__":
    size = make(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 5.0)
    print(size)
