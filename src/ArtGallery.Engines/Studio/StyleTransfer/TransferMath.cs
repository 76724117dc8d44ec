using ArtGallery.Engines.Imaging;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>Adam (Kingma and Ba) over a flat parameter vector; state lives with the instance.</summary>
public sealed class AdamOptimizer(int length, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
{
    private readonly float[] _m = new float[length];
    private readonly float[] _v = new float[length];
    private int _t;

    public float LearningRate { get; } = learningRate;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != _m.Length || gradient.Length != _m.Length)
        {
            throw new ArgumentException($"Expected {_m.Length} parameters and gradients.");
        }

        _t++;
        var c1 = 1 - MathF.Pow(beta1, _t);
        var c2 = 1 - MathF.Pow(beta2, _t);
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradient[i];
            _m[i] = (beta1 * _m[i]) + ((1 - beta1) * g);
            _v[i] = (beta2 * _v[i]) + ((1 - beta2) * g * g);
            parameters[i] -= LearningRate * (_m[i] / c1) / (MathF.Sqrt(_v[i] / c2) + epsilon);
        }
    }
}

/// <summary>Pure pre- and post-processing of the style-transfer loop.</summary>
public static class TransferMath
{
    /// <summary>
    /// Output size for a photo: the longer side becomes <paramref name="size"/>, both sides rounded
    /// to the graph's multiple of 32 (at least 32).
    /// </summary>
    public static (int Width, int Height) OutputSize(int photoWidth, int photoHeight, int size)
    {
        if (photoWidth <= 0 || photoHeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(photoWidth), "The photo has no pixels.");
        }

        var scale = (double)size / Math.Max(photoWidth, photoHeight);
        static int Round(double v) => Math.Max(TransferGraphBuilder.SizeMultiple, (int)Math.Round(v / TransferGraphBuilder.SizeMultiple) * TransferGraphBuilder.SizeMultiple);
        return (Round(photoWidth * scale), Round(photoHeight * scale));
    }

    /// <summary>Resizes to fill exactly <paramref name="width"/>×<paramref name="height"/>, cropping the centre.</summary>
    public static Image<Rgb24> Fill(Image<Rgb24> image, int width, int height) => CentreCrop.Fill(image, width, height, KnownResamplers.Bicubic);

    /// <summary>Planar B, G, R minus per-channel means (the encoder's input convention).</summary>
    public static float[] ToTensor(Image<Rgb24> image, ReadOnlySpan<float> bgrMeans)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var tensor = new float[3 * plane];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < row.Length; x++)
            {
                var i = (y * image.Width) + x;
                tensor[i] = row[x].B - bgrMeans[0];
                tensor[plane + i] = row[x].G - bgrMeans[1];
                tensor[(2 * plane) + i] = row[x].R - bgrMeans[2];
            }
        }

        return tensor;
    }

    public static Image<Rgb24> ToImage(ReadOnlySpan<float> tensor, int width, int height, ReadOnlySpan<float> bgrMeans)
    {
        var plane = width * height;
        if (tensor.Length != 3 * plane)
        {
            throw new ArgumentException($"Expected {3 * plane} values for {width}×{height}, got {tensor.Length}.", nameof(tensor));
        }

        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                row[x] = new Rgb24(Byte(tensor[(2 * plane) + i] + bgrMeans[2]), Byte(tensor[plane + i] + bgrMeans[1]), Byte(tensor[i] + bgrMeans[0]));
            }
        }

        return image;
    }

    /// <summary>Keeps every value a displayable pixel: 0 ≤ value + mean ≤ 255.</summary>
    public static void ClampToPixels(Span<float> tensor, ReadOnlySpan<float> bgrMeans)
    {
        var plane = tensor.Length / 3;
        for (var c = 0; c < 3; c++)
        {
            var channel = tensor.Slice(c * plane, plane);
            var (lo, hi) = (-bgrMeans[c], 255 - bgrMeans[c]);
            for (var i = 0; i < channel.Length; i++)
            {
                channel[i] = Math.Clamp(channel[i], lo, hi);
            }
        }
    }

    /// <summary>
    /// Total variation weight · mean over neighbour pairs of squared differences (rows and columns,
    /// each channel), added into <paramref name="gradient"/>; returns the loss.
    /// </summary>
    public static float AddTotalVariation(ReadOnlySpan<float> tensor, int width, int height, float weight, Span<float> gradient)
    {
        if (weight == 0)
        {
            return 0;
        }

        var plane = width * height;
        var pairs = 3 * (((width - 1) * height) + (width * (height - 1)));
        var scale = weight / pairs;
        double loss = 0;
        for (var c = 0; c < 3; c++)
        {
            var o = c * plane;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var i = o + (y * width) + x;
                    if (x + 1 < width)
                    {
                        var d = tensor[i + 1] - tensor[i];
                        loss += d * d;
                        gradient[i + 1] += 2 * scale * d;
                        gradient[i] -= 2 * scale * d;
                    }

                    if (y + 1 < height)
                    {
                        var d = tensor[i + width] - tensor[i];
                        loss += d * d;
                        gradient[i + width] += 2 * scale * d;
                        gradient[i] -= 2 * scale * d;
                    }
                }
            }
        }

        return (float)(loss * scale);
    }

    /// <summary>
    /// Colour preservation (Gatys et al. 2016, luminance-only): the result's luminance (BT.601 Y)
    /// with the content photo's chroma (Cb, Cr), so the photo keeps its own colours.
    /// </summary>
    public static Image<Rgb24> KeepColours(Image<Rgb24> stylised, Image<Rgb24> content)
    {
        ArgumentNullException.ThrowIfNull(stylised);
        ArgumentNullException.ThrowIfNull(content);
        if (stylised.Width != content.Width || stylised.Height != content.Height)
        {
            throw new ArgumentException("The stylised image and the content photo must have the same size.", nameof(content));
        }

        var result = new Image<Rgb24>(stylised.Width, stylised.Height);
        for (var y = 0; y < stylised.Height; y++)
        {
            var s = stylised.DangerousGetPixelRowMemory(y).Span;
            var c = content.DangerousGetPixelRowMemory(y).Span;
            var r = result.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < s.Length; x++)
            {
                var luma = (0.299f * s[x].R) + (0.587f * s[x].G) + (0.114f * s[x].B);
                var cb = (-0.168736f * c[x].R) - (0.331264f * c[x].G) + (0.5f * c[x].B);
                var cr = (0.5f * c[x].R) - (0.418688f * c[x].G) - (0.081312f * c[x].B);
                r[x] = new Rgb24(Byte(luma + (1.402f * cr)), Byte(luma - (0.344136f * cb) - (0.714136f * cr)), Byte(luma + (1.772f * cb)));
            }
        }

        return result;
    }

    /// <summary>Weighted sum of Gram matrices with weights normalised to sum 1 (multi-style blend).</summary>
    public static float[] BlendGrams(IReadOnlyList<float[]> grams, IReadOnlyList<float> weights)
    {
        ArgumentNullException.ThrowIfNull(grams);
        ArgumentNullException.ThrowIfNull(weights);
        if (grams.Count == 0 || grams.Count != weights.Count || weights.Any(w => w < 0 || !float.IsFinite(w)) || weights.Sum() <= 0)
        {
            throw new ArgumentException("Blend needs one non-negative weight per style, not all zero.", nameof(weights));
        }

        var total = weights.Sum();
        var blend = new float[grams[0].Length];
        for (var s = 0; s < grams.Count; s++)
        {
            var w = weights[s] / total;
            for (var i = 0; i < blend.Length; i++)
            {
                blend[i] += w * grams[s][i];
            }
        }

        return blend;
    }

    public static float MeanSquare(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v * (double)v;
        }

        return values.Length == 0 ? 0 : (float)(sum / values.Length);
    }

    private static byte Byte(float v) => (byte)Math.Clamp(MathF.Round(v), 0, 255);
}
