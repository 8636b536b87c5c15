namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// The object's colours reduced to a few: median cut over the object's pixels of every view, a few rounds of
/// k-means, near-identical colours merged, the most used first. No randomness, so the same pixels give the
/// same palette.
/// </summary>
internal sealed class ColourPalette
{
    /// <summary>Colours closer than this (Euclidean, 0..255 a channel) are one colour.</summary>
    private const double MergeDistance = 20;

    private readonly int[][] _colours;

    private ColourPalette(int[][] colours) => _colours = colours;

    public int Count => _colours.Length;

    /// <summary>A material per colour, in palette order, named after the colour.</summary>
    public IReadOnlyList<Material> Materials =>
        [.. _colours.Select((c, i) => new Material($"image{i}_{c[0]:x2}{c[1]:x2}{c[2]:x2}", new Rgb(c[0] / 255f, c[1] / 255f, c[2] / 255f), 0f, 0.7f))];

    public static ColourPalette From(IReadOnlyList<RgbaImage> images, IReadOnlyList<Silhouette> silhouettes, int maxColours)
    {
        var pixels = new List<int>();
        for (var v = 0; v < images.Count; v++)
        {
            var (image, inside) = (images[v], Core(silhouettes[v]));
            for (var i = 0; i < inside.Length; i++)
            {
                if (inside[i])
                {
                    var o = i * 4;
                    pixels.Add((image.Pixels[o] << 16) | (image.Pixels[o + 1] << 8) | image.Pixels[o + 2]);
                }
            }
        }

        var colours = MedianCut(pixels.ToArray(), maxColours);
        var counts = KMeans(pixels, colours);
        return new ColourPalette(MergeAndOrder(colours, counts));
    }

    /// <summary>The index of the palette colour nearest (r, g, b); ties go to the earlier colour.</summary>
    public int Nearest(int r, int g, int b)
    {
        var (best, bestDistance) = (0, int.MaxValue);
        for (var k = 0; k < _colours.Length; k++)
        {
            var c = _colours[k];
            var distance = Square(r - c[0]) + Square(g - c[1]) + Square(b - c[2]);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (k, distance);
            }
        }

        return best;
    }

    /// <summary>
    /// Every pixel's colour index: the object's pixels their nearest colour (then the most common one around them,
    /// so single stray pixels do not paint a triangle), the others (filled holes too) that of the nearest such pixel.
    /// The object's edge pixels count as others: anti-aliasing blends them with the background.
    /// </summary>
    public ColourLabels Label(RgbaImage image, Silhouette silhouette)
    {
        var (width, height) = (image.Width, image.Height);
        var core = Core(silhouette);
        var raw = new int[width * height];
        for (var i = 0; i < raw.Length; i++)
        {
            var o = i * 4;
            raw[i] = core[i] ? Nearest(image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]) : -1;
        }

        var labels = new int[raw.Length];
        var votes = new int[Count];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                if (raw[i] < 0)
                {
                    labels[i] = -1;
                    continue;
                }

                Array.Clear(votes);
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (nx, ny) = (x + dx, y + dy);
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height && raw[(ny * width) + nx] >= 0)
                        {
                            votes[raw[(ny * width) + nx]]++;
                        }
                    }
                }

                var best = raw[i];
                for (var k = 0; k < votes.Length; k++)
                {
                    if (votes[k] > votes[best])
                    {
                        best = k;
                    }
                }

                labels[i] = best;
            }
        }

        // Outside the object: the index of the nearest object pixel, spread outwards in rings.
        var queue = new int[labels.Length];
        var (head, tail) = (0, 0);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= 0)
            {
                queue[tail++] = i;
            }
        }

        while (head < tail)
        {
            var i = queue[head++];
            var (x, y) = (i % width, i / width);
            foreach (var (within, n) in (ReadOnlySpan<(bool, int)>)[(x > 0, i - 1), (x < width - 1, i + 1), (y > 0, i - width), (y < height - 1, i + width)])
            {
                if (within && labels[n] < 0)
                {
                    labels[n] = labels[i];
                    queue[tail++] = n;
                }
            }
        }

        return new ColourLabels(width, height, labels);
    }

    /// <summary>The object's pixels with all four neighbours on the object too; all of them if that leaves almost none.</summary>
    private static bool[] Core(Silhouette silhouette)
    {
        var (width, seen) = (silhouette.Width, silhouette.Seen);
        var core = new bool[seen.Length];
        var (count, all) = (0, 0);
        for (var i = 0; i < seen.Length; i++)
        {
            var (x, y) = (i % width, i / width);
            all += seen[i] ? 1 : 0;
            core[i] = seen[i] && silhouette[x - 1, y] && silhouette[x + 1, y] && silhouette[x, y - 1] && silhouette[x, y + 1]
                && seen[i - 1] && seen[i + 1] && seen[i - width] && seen[i + width];
            count += core[i] ? 1 : 0;
        }

        return count * 20 >= all ? core : seen;
    }

    private static int Square(int v) => v * v;

    private static int Channel(int rgb, int channel) => (rgb >> (16 - (8 * channel))) & 0xFF;

    /// <summary>Splits the box with the widest channel range at its median until there are enough boxes; each box's mean is a colour.</summary>
    private static List<double[]> MedianCut(int[] pixels, int maxColours)
    {
        var boxes = new List<(int Start, int Length)> { (0, pixels.Length) };
        while (boxes.Count < maxColours)
        {
            var (widest, widestRange, widestChannel) = (-1, 0, 0);
            for (var k = 0; k < boxes.Count; k++)
            {
                for (var channel = 0; channel < 3; channel++)
                {
                    var (min, max) = (255, 0);
                    foreach (var rgb in pixels.AsSpan(boxes[k].Start, boxes[k].Length))
                    {
                        var value = Channel(rgb, channel);
                        (min, max) = (Math.Min(min, value), Math.Max(max, value));
                    }

                    if (max - min > widestRange)
                    {
                        (widest, widestRange, widestChannel) = (k, max - min, channel);
                    }
                }
            }

            if (widest < 0)
            {
                break;
            }

            var (start, length) = boxes[widest];
            var span = pixels.AsSpan(start, length);
            var keys = new long[length];
            for (var i = 0; i < length; i++)
            {
                // The channel first, then the whole colour: a total order, so the split is the same every time.
                keys[i] = ((long)Channel(span[i], widestChannel) << 24) | (uint)span[i];
            }

            keys.AsSpan().Sort(span);
            var half = length / 2;
            boxes[widest] = (start, half);
            boxes.Add((start + half, length - half));
        }

        return [.. boxes.Where(b => b.Length > 0).Select(b => Mean(pixels.AsSpan(b.Start, b.Length)))];
    }

    private static double[] Mean(ReadOnlySpan<int> pixels)
    {
        var sum = new double[3];
        foreach (var rgb in pixels)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                sum[channel] += Channel(rgb, channel);
            }
        }

        return [sum[0] / pixels.Length, sum[1] / pixels.Length, sum[2] / pixels.Length];
    }

    /// <summary>Moves each colour to the mean of the pixels nearest it, a few times; returns how many pixels each has.</summary>
    private static int[] KMeans(List<int> pixels, List<double[]> colours)
    {
        var counts = new int[colours.Count];
        for (var round = 0; round < 4; round++)
        {
            var sums = new double[colours.Count, 3];
            Array.Clear(counts);
            foreach (var rgb in pixels)
            {
                var (best, bestDistance) = (0, double.MaxValue);
                for (var k = 0; k < colours.Count; k++)
                {
                    var distance = 0.0;
                    for (var channel = 0; channel < 3; channel++)
                    {
                        var d = Channel(rgb, channel) - colours[k][channel];
                        distance += d * d;
                    }

                    if (distance < bestDistance)
                    {
                        (best, bestDistance) = (k, distance);
                    }
                }

                counts[best]++;
                for (var channel = 0; channel < 3; channel++)
                {
                    sums[best, channel] += Channel(rgb, channel);
                }
            }

            for (var k = 0; k < colours.Count; k++)
            {
                if (counts[k] > 0)
                {
                    colours[k] = [sums[k, 0] / counts[k], sums[k, 1] / counts[k], sums[k, 2] / counts[k]];
                }
            }
        }

        return counts;
    }

    /// <summary>Merges colours closer than <see cref="MergeDistance"/> (the closest pair first), drops unused ones, most used first.</summary>
    private static int[][] MergeAndOrder(List<double[]> colours, int[] counts)
    {
        var entries = colours.Select((c, k) => (Colour: c, Count: (long)counts[k])).Where(e => e.Count > 0).ToList();
        while (true)
        {
            var (pair, closest) = ((-1, -1), MergeDistance);
            for (var i = 0; i < entries.Count; i++)
            {
                for (var j = i + 1; j < entries.Count; j++)
                {
                    var d = Math.Sqrt(entries[i].Colour.Zip(entries[j].Colour, (a, b) => (a - b) * (a - b)).Sum());
                    if (d < closest)
                    {
                        (pair, closest) = ((i, j), d);
                    }
                }
            }

            if (pair.Item1 < 0)
            {
                break;
            }

            var (x, y) = (entries[pair.Item1], entries[pair.Item2]);
            var total = x.Count + y.Count;
            entries[pair.Item1] = ([.. x.Colour.Zip(y.Colour, (a, b) => ((a * x.Count) + (b * y.Count)) / total)], total);
            entries.RemoveAt(pair.Item2);
        }

        return
        [
            .. entries
                .Select(e => (Rgb: e.Colour.Select(c => (int)Math.Clamp(Math.Round(c), 0, 255)).ToArray(), e.Count))
                .OrderByDescending(e => e.Count)
                .ThenBy(e => (e.Rgb[0] << 16) | (e.Rgb[1] << 8) | e.Rgb[2])
                .Select(e => e.Rgb),
        ];
    }
}

/// <summary>A colour index for every pixel of one view (see <see cref="ColourPalette.Label"/>).</summary>
internal sealed class ColourLabels(int width, int height, int[] labels)
{
    /// <summary>The index at a point in pixels (x right, y down), clamped to the image.</summary>
    public int At(float x, float y)
    {
        var column = Math.Clamp((int)MathF.Floor(x), 0, width - 1);
        var row = Math.Clamp((int)MathF.Floor(y), 0, height - 1);
        return labels[(row * width) + column];
    }
}
