namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Which pixels of an image are the object: the alpha channel when the image has real transparency, otherwise
/// every pixel far enough from a background estimated from the border (a smooth colour field fitted to the
/// border pixels, so gradients and vignettes stay background). The mask is then cleaned: specks and one-pixel
/// notches go, the largest 4-connected part is kept, and holes are filled, so its boundary is one simple curve.
/// </summary>
internal sealed class Silhouette
{
    /// <summary>Below this the object is too small to model (pixels of the working image).</summary>
    public const int MinArea = 64;

    private Silhouette(int width, int height, bool[] inside, bool[] seen, bool fromAlpha)
    {
        (Width, Height, Inside, Seen, FromAlpha) = (width, height, inside, seen, fromAlpha);
        (MinX, MinY, MaxX, MaxY) = (width, height, -1, -1);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (inside[(y * width) + x])
                {
                    Area++;
                    (MinX, MaxX) = (Math.Min(MinX, x), Math.Max(MaxX, x));
                    (MinY, MaxY) = (Math.Min(MinY, y), Math.Max(MaxY, y));
                }
            }
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row by row from the top: whether the pixel is the object.</summary>
    public bool[] Inside { get; }

    /// <summary>The object's pixels that show it, not its filled holes (whose colour is the background's).</summary>
    public bool[] Seen { get; }

    public bool FromAlpha { get; }

    public int Area { get; }

    /// <summary>The object's bounding box in pixels, inclusive.</summary>
    public int MinX { get; }

    public int MinY { get; }

    public int MaxX { get; }

    public int MaxY { get; }

    public bool this[int x, int y] => x >= 0 && y >= 0 && x < Width && y < Height && Inside[(y * Width) + x];

    /// <summary>The object of <paramref name="image"/>, or null when nothing stands out from the background.</summary>
    public static Silhouette? Find(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var fromAlpha = HasTransparency(image);
        var raw = fromAlpha ? AlphaMask(image) : BackgroundMask(image);
        var seen = LargestPart(Despeckle(raw, image.Width, image.Height), image.Width, image.Height);
        var silhouette = new Silhouette(image.Width, image.Height, FillHoles(seen, image.Width, image.Height), seen, fromAlpha);
        return silhouette.Area >= MinArea ? silhouette : null;
    }

    /// <summary>At least 1 % of the pixels see-through and 0.5 % solid: an alpha channel that cuts an object out.</summary>
    private static bool HasTransparency(RgbaImage image)
    {
        var (clear, solid) = (0, 0);
        for (var i = 3; i < image.Pixels.Length; i += 4)
        {
            if (image.Pixels[i] < 128)
            {
                clear++;
            }
            else
            {
                solid++;
            }
        }

        return clear * 100L >= image.PixelCount && solid * 200L >= image.PixelCount;
    }

    private static bool[] AlphaMask(RgbaImage image)
    {
        var mask = new bool[image.PixelCount];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = image.Pixels[(i * 4) + 3] >= 128;
        }

        return mask;
    }

    /// <summary>
    /// Fits a quadratic colour field to a band of border pixels (refitted twice without the pixels it fits worst,
    /// where the object touches the border) and marks the pixels whose colour is further from it than the
    /// border's own spread.
    /// </summary>
    private static bool[] BackgroundMask(RgbaImage image)
    {
        var (width, height, pixels) = (image.Width, image.Height, image.Pixels);
        var band = Math.Max(1, Math.Min(width, height) / 64);
        var border = new List<int>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (x < band || y < band || x >= width - band || y >= height - band)
                {
                    border.Add((y * width) + x);
                }
            }
        }

        var field = new ColourField(width, height);
        var used = border;
        var residuals = Array.Empty<float>();
        for (var round = 0; round < 3; round++)
        {
            field.Fit(pixels, used);
            residuals = [.. border.Select(i => field.Distance(pixels, i))];
            var median = Percentile(residuals, 0.5f);
            var keep = Math.Max(2.5f * median, 12f);
            used = [.. border.Where((_, k) => residuals[k] <= keep)];
        }

        var inlierLimit = Math.Max(2.5f * Percentile(residuals, 0.5f), 12f);
        var inliers = residuals.Where(r => r <= inlierLimit).ToArray();
        var threshold = Math.Max(32f, 2f * Percentile(inliers, 0.9f));
        var mask = new bool[width * height];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = field.Distance(pixels, i) > threshold;
        }

        return mask;
    }

    private static float Percentile(float[] values, float p)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    /// <summary>
    /// Removes specks and one-pixel lines (object pixels with fewer than 3 object neighbours of 8) and fills
    /// one-pixel notches (background pixels with 6 or more); corners, with 3 neighbours, stay as they are.
    /// </summary>
    private static bool[] Despeckle(bool[] mask, int width, int height)
    {
        var result = new bool[mask.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var on = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (nx, ny) = (x + dx, y + dy);
                        if ((dx != 0 || dy != 0) && nx >= 0 && ny >= 0 && nx < width && ny < height && mask[(ny * width) + nx])
                        {
                            on++;
                        }
                    }
                }

                var i = (y * width) + x;
                result[i] = mask[i] ? on >= 3 : on >= 6;
            }
        }

        return result;
    }

    /// <summary>The largest 4-connected part; on a tie, the one met first in reading order.</summary>
    private static bool[] LargestPart(bool[] mask, int width, int height)
    {
        var part = new int[mask.Length];
        var queue = new int[mask.Length];
        var (best, bestSize, next) = (0, 0, 0);
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || part[start] != 0)
            {
                continue;
            }

            var id = ++next;
            var size = Flood(mask, part, queue, width, height, start, id, value: true);
            if (size > bestSize)
            {
                (best, bestSize) = (id, size);
            }
        }

        var result = new bool[mask.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            result[i] = best != 0 && part[i] == best;
        }

        return result;
    }

    /// <summary>Background not 4-connected to the image's edge becomes object.</summary>
    private static bool[] FillHoles(bool[] mask, int width, int height)
    {
        var outside = new int[mask.Length];
        var queue = new int[mask.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                if ((x == 0 || y == 0 || x == width - 1 || y == height - 1) && !mask[i] && outside[i] == 0)
                {
                    Flood(mask, outside, queue, width, height, i, 1, value: false);
                }
            }
        }

        var result = new bool[mask.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            result[i] = mask[i] || outside[i] == 0;
        }

        return result;
    }

    /// <summary>Marks with <paramref name="id"/> the 4-connected pixels equal to <paramref name="value"/> from <paramref name="start"/>.</summary>
    private static int Flood(bool[] mask, int[] marks, int[] queue, int width, int height, int start, int id, bool value)
    {
        var (head, tail) = (0, 0);
        queue[tail++] = start;
        marks[start] = id;
        while (head < tail)
        {
            var i = queue[head++];
            var (x, y) = (i % width, i / width);
            Visit(x > 0, i - 1);
            Visit(x < width - 1, i + 1);
            Visit(y > 0, i - width);
            Visit(y < height - 1, i + width);
        }

        return tail;

        void Visit(bool within, int n)
        {
            if (within && mask[n] == value && marks[n] == 0)
            {
                marks[n] = id;
                queue[tail++] = n;
            }
        }
    }

    /// <summary>Each colour channel as a quadratic in x and y (scaled to −1..1), fitted by least squares.</summary>
    private sealed class ColourField(int width, int height)
    {
        private const int Terms = 6;
        private readonly double[,] _coefficients = new double[3, Terms];

        public void Fit(byte[] pixels, List<int> samples)
        {
            var normal = new double[Terms, Terms];
            var right = new double[3, Terms];
            Span<double> basis = stackalloc double[Terms];
            foreach (var i in samples)
            {
                Basis(i, basis);
                for (var r = 0; r < Terms; r++)
                {
                    for (var c = 0; c < Terms; c++)
                    {
                        normal[r, c] += basis[r] * basis[c];
                    }

                    for (var channel = 0; channel < 3; channel++)
                    {
                        right[channel, r] += basis[r] * pixels[(i * 4) + channel];
                    }
                }
            }

            for (var channel = 0; channel < 3; channel++)
            {
                var solution = Solve((double[,])normal.Clone(), [right[channel, 0], right[channel, 1], right[channel, 2], right[channel, 3], right[channel, 4], right[channel, 5]]);
                for (var t = 0; t < Terms; t++)
                {
                    _coefficients[channel, t] = solution[t];
                }
            }
        }

        /// <summary>How far the pixel's colour is from the field's colour there (Euclidean, 0..255 per channel).</summary>
        public float Distance(byte[] pixels, int i)
        {
            Span<double> basis = stackalloc double[Terms];
            Basis(i, basis);
            var sum = 0.0;
            for (var channel = 0; channel < 3; channel++)
            {
                var expected = 0.0;
                for (var t = 0; t < Terms; t++)
                {
                    expected += _coefficients[channel, t] * basis[t];
                }

                var d = pixels[(i * 4) + channel] - expected;
                sum += d * d;
            }

            return (float)Math.Sqrt(sum);
        }

        private void Basis(int i, Span<double> basis)
        {
            var u = width > 1 ? (2.0 * (i % width) / (width - 1)) - 1 : 0;
            var v = height > 1 ? (2.0 * (i / width) / (height - 1)) - 1 : 0;
            (basis[0], basis[1], basis[2], basis[3], basis[4], basis[5]) = (1, u, v, u * u, v * v, u * v);
        }

        /// <summary>Gaussian elimination with partial pivoting; a term the samples cannot pin down is left at 0.</summary>
        private static double[] Solve(double[,] a, double[] b)
        {
            var n = b.Length;
            for (var col = 0; col < n; col++)
            {
                var pivot = col;
                for (var row = col + 1; row < n; row++)
                {
                    if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                    {
                        pivot = row;
                    }
                }

                if (Math.Abs(a[pivot, col]) < 1e-9)
                {
                    continue;
                }

                if (pivot != col)
                {
                    for (var k = 0; k < n; k++)
                    {
                        (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                    }

                    (b[col], b[pivot]) = (b[pivot], b[col]);
                }

                for (var row = 0; row < n; row++)
                {
                    if (row == col)
                    {
                        continue;
                    }

                    var factor = a[row, col] / a[col, col];
                    for (var k = col; k < n; k++)
                    {
                        a[row, k] -= factor * a[col, k];
                    }

                    b[row] -= factor * b[col];
                }
            }

            var x = new double[n];
            for (var i = 0; i < n; i++)
            {
                x[i] = Math.Abs(a[i, i]) < 1e-9 ? 0 : b[i] / a[i, i];
            }

            return x;
        }
    }
}
