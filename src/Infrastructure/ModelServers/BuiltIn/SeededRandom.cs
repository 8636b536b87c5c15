using System.Text;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by this code, not by the runtime (System.Random's
/// seeded sequence is an implementation detail), so a prompt and seed give the same files on every version.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    public float NextFloat(float min, float max) => min + ((max - min) * NextFloat());

    public int NextInt(int exclusiveMax) => (int)(NextULong() % (ulong)exclusiveMax);

    /// <summary>A new generator for one part of the work, so adding draws elsewhere does not shift it.</summary>
    public SeededRandom Fork(ulong salt) => new(Mix(NextULong() ^ salt));

    public static ulong Mix(ulong value) => new SeededRandom(value).NextULong();

    /// <summary>FNV-1a over UTF-8: string.GetHashCode is randomised per process, this is stable.</summary>
    public static ulong Hash(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }
}
