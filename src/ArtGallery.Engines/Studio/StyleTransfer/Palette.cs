using SixLabors.ImageSharp.Advanced;

namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>When the style's palette is imposed by histogram matching (decision 0013).</summary>
public enum PaletteMatch
{
    /// <summary>Colours come from the optimisation alone.</summary>
    None,

    /// <summary>The photo is matched to the style before optimising (start image and content target).</summary>
    Before,

    /// <summary>The result is matched to the style after optimising.</summary>
    After,

    /// <summary>Both.</summary>
    Both,
}

/// <summary>
/// Colour statistics in CIE Lab (D65): per-channel quantile (CDF) matching of one image to
/// another's palette, and a chi-square distance between joint Lab histograms.
/// </summary>
public static class Palette
{
    /// <summary>Bins of the joint histogram: L over [0, 100], a and b over [−80, 80] (values outside fall in the edge bins).</summary>
    public const int LightnessBins = 10;

    public const int ChromaBins = 10;

    private const float ChromaRange = 80f;

    /// <summary>
    /// <paramref name="image"/> with each Lab channel remapped so its distribution equals
    /// <paramref name="palette"/>'s (exact quantile matching: the pixel of rank r takes the
    /// palette's value at quantile r/n). Spatial structure is the image's, colours the palette's.
    /// </summary>
    public static Image<Rgb24> Match(Image<Rgb24> image, Image<Rgb24> palette) => Match(image, palette, 1f);

    /// <summary>
    /// <paramref name="image"/> moved the share <paramref name="amount"/> (0–1) of the way from its
    /// own Lab values to the matched ones: 1 is <see cref="Match(Image{Rgb24}, Image{Rgb24})"/>, 0 the image unchanged.
    /// With <paramref name="rotations"/> above 1 the matching is repeated along that many sets of
    /// axes (the first L, a, b; the rest seeded random rotations of Lab), which moves the joint
    /// distribution towards the palette's and not only the three marginals (Pitié et al. 2007,
    /// iterative distribution transfer).
    /// </summary>
    public static Image<Rgb24> Match(Image<Rgb24> image, Image<Rgb24> palette, float amount, int rotations = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(palette);
        if (!float.IsFinite(amount) || amount is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The share matched must be between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rotations, 1);
        var source = ToLab(image);
        var original = amount < 1 ? (float[])source.Clone() : source;
        var target = ToLab(palette);
        var n = image.Width * image.Height;
        var m = palette.Width * palette.Height;
        var order = new int[n];
        var keys = new float[n];
        var sorted = new float[m];
        var random = new Random(rotations);
        for (var t = 0; t < rotations; t++)
        {
            foreach (var axis in t == 0 ? Identity : RandomAxes(random))
            {
                for (var i = 0; i < m; i++)
                {
                    sorted[i] = Project(target, i, axis);
                }

                Array.Sort(sorted);
                for (var i = 0; i < n; i++)
                {
                    order[i] = i;
                    keys[i] = Project(source, i, axis);
                }

                Array.Sort(keys, order);
                for (var r = 0; r < n; r++)
                {
                    // Centre of rank r's quantile interval, so both ends map inside the palette's range;
                    // the pixel moves along this axis only (the axes of one set are orthogonal).
                    var q = (r + 0.5) / n * m;
                    var shift = sorted[Math.Min(m - 1, (int)q)] - keys[r];
                    var k = 3 * order[r];
                    for (var c = 0; c < 3; c++)
                    {
                        source[k + c] += shift * axis[c];
                    }
                }
            }
        }

        if (amount < 1)
        {
            for (var i = 0; i < source.Length; i++)
            {
                source[i] = original[i] + (amount * (source[i] - original[i]));
            }
        }

        return FromLab(source, image.Width, image.Height);
    }

    private static readonly float[][] Identity = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

    private static float Project(float[] lab, int pixel, float[] axis) =>
        (lab[3 * pixel] * axis[0]) + (lab[(3 * pixel) + 1] * axis[1]) + (lab[(3 * pixel) + 2] * axis[2]);

    /// <summary>Three orthonormal axes from Gram–Schmidt on uniform random vectors.</summary>
    private static float[][] RandomAxes(Random random)
    {
        var axes = new float[3][];
        for (var a = 0; a < 3; a++)
        {
            var v = new[] { (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f };
            for (var b = 0; b < a; b++)
            {
                var dot = (v[0] * axes[b][0]) + (v[1] * axes[b][1]) + (v[2] * axes[b][2]);
                for (var c = 0; c < 3; c++)
                {
                    v[c] -= dot * axes[b][c];
                }
            }

            var norm = MathF.Sqrt((v[0] * v[0]) + (v[1] * v[1]) + (v[2] * v[2]));
            axes[a] = [v[0] / norm, v[1] / norm, v[2] / norm];
        }

        return axes;
    }

    /// <summary>
    /// Chi-square distance ½·Σ(p−q)²/(p+q) between the two images' normalised joint Lab
    /// histograms (<see cref="LightnessBins"/>×<see cref="ChromaBins"/>²): 0 for the same palette, 1 for disjoint ones.
    /// </summary>
    public static double ChiSquare(Image<Rgb24> first, Image<Rgb24> second)
    {
        var p = Histogram(first);
        var q = Histogram(second);
        double sum = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var s = p[i] + q[i];
            if (s > 0)
            {
                sum += (p[i] - q[i]) * (p[i] - q[i]) / s;
            }
        }

        return sum / 2;
    }

    public static double[] Histogram(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var lab = ToLab(image);
        var histogram = new double[LightnessBins * ChromaBins * ChromaBins];
        var n = lab.Length / 3;
        for (var i = 0; i < n; i++)
        {
            var l = Bin(lab[3 * i] / 100f, LightnessBins);
            var a = Bin((lab[(3 * i) + 1] + ChromaRange) / (2 * ChromaRange), ChromaBins);
            var b = Bin((lab[(3 * i) + 2] + ChromaRange) / (2 * ChromaRange), ChromaBins);
            histogram[(((l * ChromaBins) + a) * ChromaBins) + b] += 1.0 / n;
        }

        return histogram;
    }

    /// <summary>Interleaved L, a, b per pixel, row-major.</summary>
    public static float[] ToLab(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var lab = new float[3 * image.Width * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < row.Length; x++)
            {
                var (l, a, b) = ToLab(row[x]);
                var i = 3 * ((y * image.Width) + x);
                (lab[i], lab[i + 1], lab[i + 2]) = (l, a, b);
            }
        }

        return lab;
    }

    public static Image<Rgb24> FromLab(ReadOnlySpan<float> lab, int width, int height)
    {
        if (lab.Length != 3 * width * height)
        {
            throw new ArgumentException($"Expected {3 * width * height} values for {width}×{height}, got {lab.Length}.", nameof(lab));
        }

        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < width; x++)
            {
                var i = 3 * ((y * width) + x);
                row[x] = FromLab(lab[i], lab[i + 1], lab[i + 2]);
            }
        }

        return image;
    }

    public static (float L, float A, float B) ToLab(Rgb24 pixel)
    {
        var r = Linear(pixel.R);
        var g = Linear(pixel.G);
        var b = Linear(pixel.B);
        var fx = F(((0.4124564f * r) + (0.3575761f * g) + (0.1804375f * b)) / 0.95047f);
        var fy = F((0.2126729f * r) + (0.7151522f * g) + (0.0721750f * b));
        var fz = F(((0.0193339f * r) + (0.1191920f * g) + (0.9503041f * b)) / 1.08883f);
        return ((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    public static Rgb24 FromLab(float l, float a, float b)
    {
        var fy = (l + 16) / 116;
        var x = 0.95047f * FInverse(fy + (a / 500));
        var y = FInverse(fy);
        var z = 1.08883f * FInverse(fy - (b / 200));
        var r = (3.2404542f * x) - (1.5371385f * y) - (0.4985314f * z);
        var g = (-0.9692660f * x) + (1.8760108f * y) + (0.0415560f * z);
        var bl = (0.0556434f * x) - (0.2040259f * y) + (1.0572252f * z);
        return new Rgb24(Encode(r), Encode(g), Encode(bl));
    }

    private static int Bin(float unit, int bins) => Math.Clamp((int)(unit * bins), 0, bins - 1);

    private static float Linear(byte v)
    {
        var s = v / 255f;
        return s <= 0.04045f ? s / 12.92f : MathF.Pow((s + 0.055f) / 1.055f, 2.4f);
    }

    private static byte Encode(float linear)
    {
        linear = Math.Clamp(linear, 0, 1);
        var s = linear <= 0.0031308f ? 12.92f * linear : (1.055f * MathF.Pow(linear, 1 / 2.4f)) - 0.055f;
        return (byte)Math.Clamp(MathF.Round(s * 255), 0, 255);
    }

    private static float F(float t) => t > 216f / 24389 ? MathF.Cbrt(t) : ((24389f / 27 * t) + 16) / 116;

    private static float FInverse(float f) => f * f * f > 216f / 24389 ? f * f * f : ((116 * f) - 16) / (24389f / 27);
}
