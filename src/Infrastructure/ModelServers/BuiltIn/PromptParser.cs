using System.Globalization;

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
}

internal enum SizeKind
{
    Normal,
    Small,
    Large,
    Tall,
    Flat,
}

/// <summary>One thing the prompt asks for: "three small red cubes". A null colour leaves it to the generator.</summary>
internal sealed record ObjectSpec(ShapeKind Shape, Material? Color, int Count, SizeKind Size);

/// <summary>What a prompt asks for, plus the colours its negative prompt rules out.</summary>
internal sealed record PromptSpec(IReadOnlyList<ObjectSpec> Objects, IReadOnlySet<string> ExcludedColors, string NormalizedPrompt)
{
    public bool IsFallback => Objects.All(o => o.Shape == ShapeKind.Blob);
}

/// <summary>
/// A small, deterministic reading of a prompt: colour, count and size words apply to the next shape word
/// ("two red cubes and a big blue ball"); a colour after the last shape ("a cube, red") goes to it; no
/// shape word at all gives blobs that keep the colour, count and size.
/// </summary>
internal static class PromptParser
{
    public const int MaxCount = 10;

    private static readonly Dictionary<string, ShapeKind> Shapes = BuildShapes();

    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["single"] = 1, ["two"] = 2, ["pair"] = 2, ["couple"] = 2, ["three"] = 3,
        ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["dozen"] = 12,
    };

    private static readonly Dictionary<string, SizeKind> Sizes = new(StringComparer.Ordinal)
    {
        ["small"] = SizeKind.Small, ["tiny"] = SizeKind.Small, ["little"] = SizeKind.Small, ["mini"] = SizeKind.Small,
        ["large"] = SizeKind.Large, ["big"] = SizeKind.Large, ["huge"] = SizeKind.Large, ["giant"] = SizeKind.Large,
        ["enormous"] = SizeKind.Large, ["massive"] = SizeKind.Large,
        ["tall"] = SizeKind.Tall, ["towering"] = SizeKind.Tall,
        ["flat"] = SizeKind.Flat, ["thin"] = SizeKind.Flat,
    };

    public static PromptSpec Parse(string prompt, string? negativePrompt)
    {
        var tokens = Tokenize(prompt);
        var objects = new List<ObjectSpec>();
        Material? color = null;
        int? count = null;
        var size = SizeKind.Normal;
        string? shade = null;
        var pending = false;

        foreach (var token in tokens)
        {
            if (Shapes.TryGetValue(token, out var shape))
            {
                objects.Add(new ObjectSpec(shape, color, Math.Clamp(count ?? 1, 1, MaxCount), size));
                (color, count, size, shade, pending) = (null, null, SizeKind.Normal, null, false);
            }
            else if (Colors.TryGet(token, out var named))
            {
                color = shade is null ? named : Colors.Shade(named, shade);
                pending = true;
            }
            else if (token is "dark" or "light" or "pale" or "deep")
            {
                shade = token is "dark" or "deep" ? "dark" : "light";
            }
            else if (Sizes.TryGetValue(token, out var sized))
            {
                size = sized;
                pending = true;
            }
            else if (Numbers.TryGetValue(token, out var number))
            {
                // "a dozen" and "a pair" keep the bigger number.
                count = Math.Max(count ?? 0, number);
                pending = true;
            }
            else if (token.All(char.IsAsciiDigit))
            {
                count = token.Length > 3 ? MaxCount : int.Parse(token, CultureInfo.InvariantCulture);
                pending = true;
            }
        }

        if (objects.Count == 0)
        {
            objects.Add(new ObjectSpec(ShapeKind.Blob, color, Math.Clamp(count ?? 1, 1, MaxCount), size));
        }
        else if (pending && color is not null && objects[^1].Color is null)
        {
            objects[^1] = objects[^1] with { Color = color };
        }

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in Tokenize(negativePrompt ?? string.Empty))
        {
            if (Colors.TryGet(token, out var named))
            {
                excluded.Add(named.Name);
            }
        }

        return new PromptSpec(objects, excluded, string.Join(' ', tokens));
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }

    private static Dictionary<string, ShapeKind> BuildShapes()
    {
        var shapes = new Dictionary<string, ShapeKind>(StringComparer.Ordinal);
        void Add(ShapeKind kind, params string[] words)
        {
            foreach (var word in words)
            {
                shapes[word] = kind;
            }
        }

        Add(ShapeKind.Cube, "cube", "cubes", "box", "boxes", "block", "blocks", "crate", "crates", "dice");
        Add(ShapeKind.Sphere, "sphere", "spheres", "ball", "balls", "orb", "orbs", "globe", "globes", "marble", "marbles");
        Add(ShapeKind.Cylinder, "cylinder", "cylinders", "tube", "tubes", "pipe", "pipes", "pillar", "pillars", "column", "columns");
        Add(ShapeKind.Cone, "cone", "cones");
        Add(ShapeKind.Pyramid, "pyramid", "pyramids", "tetrahedron");
        Add(ShapeKind.Torus, "torus", "tori", "toruses", "donut", "donuts", "doughnut", "doughnuts", "ring", "rings");
        Add(ShapeKind.Plane, "plane", "planes", "floor", "floors", "ground");
        Add(ShapeKind.Table, "table", "tables", "desk", "desks");
        Add(ShapeKind.Chair, "chair", "chairs");
        Add(ShapeKind.Tree, "tree", "trees", "pine", "pines");
        Add(ShapeKind.House, "house", "houses", "home", "homes", "cottage", "cottages", "hut", "huts");
        Add(ShapeKind.Snowman, "snowman", "snowmen");
        Add(ShapeKind.Car, "car", "cars", "automobile", "automobiles");
        return shapes;
    }
}
