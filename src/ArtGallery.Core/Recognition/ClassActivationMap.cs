using System.Numerics.Tensors;
using ArtGallery.Engines.Encoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// Class activation maps (Zhou et al. 2016) for the recogniser's linear head: where on the stage-4
/// grid the content part of one class's logit comes from. Pure functions, tested without a model.
/// </summary>
/// <remarks>
/// The head does not read the pooled maps directly: the content embedding is
/// eⱼ = √pⱼ / N with pⱼ the mean of channel j over the grid's cells and N = ‖√p‖ = √Σₖpₖ
/// (<see cref="StyleDescriptors.ContentEmbedding"/>). Writing √pⱼ = pⱼ / √pⱼ makes eⱼ a sum over
/// cells, eⱼ = Σₓ Aⱼ(x) / (cells·√pⱼ·N), so with the raw weights w (standardisation undone,
/// <see cref="SoftmaxClassifier.RawWeights"/>) the map
/// cam(x) = Σⱼ wⱼ·Aⱼ(x) / (cells·√pⱼ·N) sums over the cells to exactly w·e, the content part of
/// the logit. The style part (channel statistics of earlier layers) has no place and is not mapped.
/// </remarks>
public static class ClassActivationMap
{
    /// <summary>
    /// The map of one class over the grid of <paramref name="maps"/> (row-major, Height × Width):
    /// positive cells raise the class's logit, negative ones lower it, and the cells sum to
    /// <paramref name="contentWeights"/> · the content embedding of the same maps.
    /// </summary>
    public static float[] Compute(ActivationMaps maps, ReadOnlySpan<float> contentWeights)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var cells = maps.Height * maps.Width;
        if (contentWeights.Length != maps.Channels || maps.Values.Length != maps.Channels * cells || cells == 0)
        {
            throw new ArgumentException($"Expected {maps.Channels} weights and {maps.Channels} × {maps.Height} × {maps.Width} activations.", nameof(contentWeights));
        }

        var values = maps.Values.AsSpan();
        var pooled = new float[maps.Channels];
        var mass = 0f;
        for (var j = 0; j < maps.Channels; j++)
        {
            pooled[j] = TensorPrimitives.Sum(values.Slice(j * cells, cells)) / cells;
            mass += MathF.Abs(pooled[j]);
        }

        var grid = new float[cells];

        // As L2Normalise: an all-zero embedding stays zero, and so does its map.
        var norm = MathF.Sqrt(mass);
        if (norm <= 1e-12f)
        {
            return grid;
        }

        for (var j = 0; j < maps.Channels; j++)
        {
            // A channel that is zero everywhere (ReLU) contributes nothing and has no scale.
            var root = MathF.Sqrt(MathF.Abs(pooled[j]));
            if (root <= 0f || contentWeights[j] == 0f)
            {
                continue;
            }

            TensorPrimitives.MultiplyAdd(values.Slice(j * cells, cells), contentWeights[j] / (cells * root * norm), grid, grid);
        }

        return grid;
    }

    /// <summary>
    /// The evidence for the class, for display: positive cells scaled so the strongest is 1,
    /// everything else 0 (all zeros when no cell speaks for the class).
    /// </summary>
    public static float[] Evidence(ReadOnlySpan<float> grid)
    {
        var heat = new float[grid.Length];
        var max = grid.Length == 0 ? 0f : TensorPrimitives.Max(grid);
        if (max <= 0f)
        {
            return heat;
        }

        for (var i = 0; i < grid.Length; i++)
        {
            heat[i] = MathF.Max(0f, grid[i]) / max;
        }

        return heat;
    }

    /// <summary>
    /// Bilinear upsampling of a Height × Width grid to <paramref name="outWidth"/> × <paramref name="outHeight"/>,
    /// with cell centres at the centres of the areas they cover (the network's stride), clamped at the edges.
    /// </summary>
    public static float[] Upsample(ReadOnlySpan<float> grid, int height, int width, int outWidth, int outHeight)
    {
        if (grid.Length != height * width || height < 1 || width < 1 || outWidth < 1 || outHeight < 1)
        {
            throw new ArgumentException($"A {height} × {width} grid needs {height * width} values and a positive output size.", nameof(grid));
        }

        var result = new float[outWidth * outHeight];
        for (var y = 0; y < outHeight; y++)
        {
            var gy = Math.Clamp((((y + 0.5f) * height) / outHeight) - 0.5f, 0f, height - 1);
            var y0 = (int)gy;
            var y1 = Math.Min(y0 + 1, height - 1);
            var fy = gy - y0;
            for (var x = 0; x < outWidth; x++)
            {
                var gx = Math.Clamp((((x + 0.5f) * width) / outWidth) - 0.5f, 0f, width - 1);
                var x0 = (int)gx;
                var x1 = Math.Min(x0 + 1, width - 1);
                var fx = gx - x0;
                var top = (grid[(y0 * width) + x0] * (1 - fx)) + (grid[(y0 * width) + x1] * fx);
                var bottom = (grid[(y1 * width) + x0] * (1 - fx)) + (grid[(y1 * width) + x1] * fx);
                result[(y * outWidth) + x] = (top * (1 - fy)) + (bottom * fy);
            }
        }

        return result;
    }

    /// <summary>Pixels of the overlay per grid cell: the network's stride, so the overlay has the input's size.</summary>
    public const int PixelsPerCell = 32;

    /// <summary>
    /// A transparent PNG the size of the network's input (32 px per cell) to lay over the image:
    /// evidence 0 is clear, stronger evidence runs blue → yellow → red and more opaque.
    /// </summary>
    public static byte[] OverlayPng(ReadOnlySpan<float> evidence, int height, int width)
    {
        var (outWidth, outHeight) = (width * PixelsPerCell, height * PixelsPerCell);
        var heat = Upsample(evidence, height, width, outWidth, outHeight);
        using var image = new Image<Rgba32>(outWidth, outHeight);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < outHeight; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < outWidth; x++)
                {
                    row[x] = Colour(heat[(y * outWidth) + x]);
                }
            }
        });

        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    /// <summary>The overlay's colour for evidence t in [0, 1]: blue, cyan, yellow, red; alpha up to 70%.</summary>
    public static Rgba32 Colour(float t)
    {
        t = Math.Clamp(t, 0f, 1f);
        ReadOnlySpan<(float R, float G, float B)> stops = [(0, 0, 255), (0, 255, 255), (255, 255, 0), (255, 0, 0)];
        var position = t * (stops.Length - 1);
        var i = Math.Min((int)position, stops.Length - 2);
        var f = position - i;
        var (a, b) = (stops[i], stops[i + 1]);
        return new Rgba32(
            (byte)MathF.Round(a.R + ((b.R - a.R) * f)),
            (byte)MathF.Round(a.G + ((b.G - a.G) * f)),
            (byte)MathF.Round(a.B + ((b.B - a.B) * f)),
            (byte)MathF.Round(180 * t));
    }
}
