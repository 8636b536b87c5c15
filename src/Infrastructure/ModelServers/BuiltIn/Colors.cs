namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>A colour in sRGB, each channel 0..1: what people mean by "red", and what obj, ply and png hold.</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public Rgb Darker() => new(R * 0.55f, G * 0.55f, B * 0.55f);

    public Rgb Lighter() => new(R + ((1 - R) * 0.45f), G + ((1 - G) * 0.45f), B + ((1 - B) * 0.45f));

    /// <summary>glTF's baseColorFactor is linear, not sRGB.</summary>
    public Rgb ToLinear() => new(ToLinear(R), ToLinear(G), ToLinear(B));

    public static byte ToByte(float channel) => (byte)Math.Clamp(MathF.Round(channel * 255f), 0f, 255f);

    private static float ToLinear(float c) => c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);
}

/// <summary>A surface: its name (also the obj/mtl material name), colour and how metallic and rough it is.</summary>
internal sealed record Material(string Name, Rgb Color, float Metallic, float Roughness);

/// <summary>The colour words the prompt parser knows, and the materials the generator paints with.</summary>
internal static class Colors
{
    private static readonly Dictionary<string, Material> Named = new(StringComparer.Ordinal)
    {
        ["red"] = Plain("red", 0.80f, 0.10f, 0.10f),
        ["green"] = Plain("green", 0.15f, 0.65f, 0.20f),
        ["blue"] = Plain("blue", 0.15f, 0.35f, 0.85f),
        ["yellow"] = Plain("yellow", 0.95f, 0.85f, 0.15f),
        ["orange"] = Plain("orange", 0.95f, 0.50f, 0.10f),
        ["purple"] = Plain("purple", 0.50f, 0.20f, 0.70f),
        ["pink"] = Plain("pink", 0.95f, 0.50f, 0.70f),
        ["white"] = Plain("white", 0.95f, 0.95f, 0.95f),
        ["black"] = Plain("black", 0.06f, 0.06f, 0.06f),
        ["gray"] = Plain("gray", 0.50f, 0.50f, 0.50f),
        ["brown"] = Plain("brown", 0.45f, 0.28f, 0.12f),
        ["cyan"] = Plain("cyan", 0.10f, 0.80f, 0.85f),
        ["magenta"] = Plain("magenta", 0.85f, 0.15f, 0.70f),
        ["teal"] = Plain("teal", 0.05f, 0.50f, 0.50f),
        ["turquoise"] = Plain("turquoise", 0.25f, 0.85f, 0.80f),
        ["navy"] = Plain("navy", 0.08f, 0.12f, 0.40f),
        ["lime"] = Plain("lime", 0.55f, 0.90f, 0.20f),
        ["maroon"] = Plain("maroon", 0.50f, 0.10f, 0.15f),
        ["beige"] = Plain("beige", 0.90f, 0.85f, 0.70f),
        ["gold"] = Metal("gold", 1.00f, 0.77f, 0.34f),
        ["silver"] = Metal("silver", 0.80f, 0.80f, 0.82f),
        ["copper"] = Metal("copper", 0.85f, 0.50f, 0.30f),
        ["bronze"] = Metal("bronze", 0.70f, 0.50f, 0.25f),
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["grey"] = "gray",
        ["violet"] = "purple",
        ["golden"] = "gold",
        ["crimson"] = "red",
        ["scarlet"] = "red",
        ["aqua"] = "cyan",
    };

    /// <summary>Colours a seed picks from when the prompt names none: bright enough to tell apart.</summary>
    private static readonly string[] SeedPalette =
        ["red", "green", "blue", "yellow", "orange", "purple", "pink", "cyan", "teal", "lime", "magenta", "gold"];

    // Fixed parts of compound objects.
    public static readonly Material Wood = Plain("wood", 0.55f, 0.35f, 0.18f);
    public static readonly Material Foliage = Plain("foliage", 0.13f, 0.55f, 0.18f);
    public static readonly Material Walls = Plain("walls", 0.92f, 0.86f, 0.72f);
    public static readonly Material Roof = Plain("roof", 0.70f, 0.28f, 0.18f);
    public static readonly Material Glass = new("glass", new Rgb(0.60f, 0.85f, 0.95f), 0f, 0.1f);
    public static readonly Material Snow = Plain("snow", 0.96f, 0.97f, 1.00f);
    public static readonly Material Coal = Plain("coal", 0.06f, 0.06f, 0.07f);
    public static readonly Material Carrot = Plain("carrot", 0.95f, 0.50f, 0.10f);
    public static readonly Material Tyre = Plain("tyre", 0.08f, 0.08f, 0.08f);
    public static readonly Material Lamp = Plain("lamp", 1.00f, 0.95f, 0.60f);
    public static readonly Material CarPaint = new("paint", new Rgb(0.80f, 0.10f, 0.10f), 0.3f, 0.35f);
    public static readonly Material Ground = Plain("ground", 0.55f, 0.55f, 0.52f);

    public static bool TryGet(string word, out Material material)
    {
        var name = Aliases.GetValueOrDefault(word, word);
        return Named.TryGetValue(name, out material!);
    }

    /// <summary>"dark" and "light" shades of a named colour, named so the obj/mtl names stay unique.</summary>
    public static Material Shade(Material color, string shade) => shade switch
    {
        "dark" => color with { Name = "dark_" + color.Name, Color = color.Color.Darker() },
        "light" => color with { Name = "light_" + color.Name, Color = color.Color.Lighter() },
        _ => color,
    };

    /// <summary>A seeded colour for a part the prompt gave none, never one the negative prompt names.</summary>
    public static Material Pick(SeededRandom random, IReadOnlySet<string> excluded)
    {
        var allowed = SeedPalette.Where(name => !excluded.Contains(name)).ToArray();
        return allowed.Length == 0 ? Named["gray"] : Named[allowed[random.NextInt(allowed.Length)]];
    }

    private static Material Plain(string name, float r, float g, float b) => new(name, new Rgb(r, g, b), 0f, 0.6f);

    private static Material Metal(string name, float r, float g, float b) => new(name, new Rgb(r, g, b), 1f, 0.3f);
}
