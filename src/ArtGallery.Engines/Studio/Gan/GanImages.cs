using ArtGallery.Engines.Imaging;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Engines.Studio.Gan;

/// <summary>Generator tensors to pictures and back, and display upscaling: pure, tested without a model.</summary>
public static class GanImages
{
    /// <summary>
    /// One planar RGB tensor (3 × side × side, values in [−1, 1], the generator's tanh range) as an
    /// image: v → round((v + 1)·127.5), clamped.
    /// </summary>
    public static Image<Rgb24> ToImage(ReadOnlySpan<float> chw, int side)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side);
        var plane = side * side;
        if (chw.Length != 3 * plane)
        {
            throw new ArgumentException($"Expected 3×{side}×{side} values, got {chw.Length}.", nameof(chw));
        }

        var image = new Image<Rgb24>(side, side);
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var i = (y * side) + x;
                image[x, y] = new Rgb24(ToByte(chw[i]), ToByte(chw[plane + i]), ToByte(chw[(2 * plane) + i]));
            }
        }

        return image;
    }

    /// <summary>The inverse of <see cref="ToImage"/> (up to rounding): how real images meet the generator's range.</summary>
    public static float[] ToTensor(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var chw = new float[3 * plane];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                var i = (y * image.Width) + x;
                chw[i] = (p.R / 127.5f) - 1;
                chw[plane + i] = (p.G / 127.5f) - 1;
                chw[(2 * plane) + i] = (p.B / 127.5f) - 1;
            }
        }

        return chw;
    }

    /// <summary>
    /// A copy scaled to <paramref name="side"/> for display. Lanczos-3 keeps the painted edges crisp;
    /// it adds no detail the generator did not make (this is resampling, not super-resolution).
    /// </summary>
    public static Image<Rgb24> Upscale(Image<Rgb24> image, int side)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side);
        return image.Clone(x => x.Resize(side, side, KnownResamplers.Lanczos3));
    }

    /// <summary>Centre square crop scaled to <paramref name="side"/>: how a training image is prepared (as the recipe does).</summary>
    public static Image<Rgb24> SquareCrop(Image<Rgb24> image, int side) => CentreCrop.Fill(image, side, side, KnownResamplers.Lanczos3);

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round((v + 1f) * 127.5f), 0f, 255f);
}
