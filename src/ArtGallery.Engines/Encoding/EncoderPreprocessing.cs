using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Engines.Encoding;

/// <summary>
/// The CNTK ResNet18's own input convention: 224×224, channels in BGR order, values 0–255 with the
/// training set's mean image subtracted. Pure functions, so they are tested without a model.
/// </summary>
public static class EncoderPreprocessing
{
    public const int Size = 224;
    public const int Channels = 3;
    public const int TensorLength = Channels * Size * Size;

    /// <summary>Shorter side scaled to <see cref="Size"/>, then the centre cropped square (ImageNet practice).</summary>
    public static Image<Rgb24> CenterCropResize(Image<Rgb24> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Clone(x => x.Resize(CropOptions));
    }

    public static void CenterCropResizeInPlace(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Mutate(x => x.Resize(CropOptions));
    }

    private static ResizeOptions CropOptions => new()
    {
        Size = new Size(Size, Size),
        Mode = ResizeMode.Crop,
        Position = AnchorPositionMode.Center,
        Sampler = KnownResamplers.Triangle,
    };

    /// <summary>
    /// Writes a 224×224 RGB image into <paramref name="destination"/> as planar B, G, R (CHW) minus
    /// <paramref name="meanImage"/> (BGR CHW, same layout).
    /// </summary>
    public static void WriteBgrMinusMean(Image<Rgb24> image, ReadOnlySpan<float> meanImage, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width != Size || image.Height != Size)
        {
            throw new ArgumentException($"Expected a {Size}×{Size} image, got {image.Width}×{image.Height}.", nameof(image));
        }

        if (meanImage.Length != TensorLength || destination.Length < TensorLength)
        {
            throw new ArgumentException($"Mean image and destination must hold {TensorLength} values.");
        }

        const int plane = Size * Size;
        Span<Rgb24> pixels;
        if (image.DangerousTryGetSinglePixelMemory(out var memory))
        {
            pixels = memory.Span;
        }
        else
        {
            pixels = new Rgb24[plane];
            image.CopyPixelDataTo(pixels);
        }

        var b = destination[..plane];
        var g = destination.Slice(plane, plane);
        var r = destination.Slice(2 * plane, plane);
        var meanB = meanImage[..plane];
        var meanG = meanImage.Slice(plane, plane);
        var meanR = meanImage.Slice(2 * plane, plane);
        for (var i = 0; i < plane; i++)
        {
            var p = pixels[i];
            b[i] = p.B - meanB[i];
            g[i] = p.G - meanG[i];
            r[i] = p.R - meanR[i];
        }
    }

    /// <summary>
    /// Writes an RGB image of any size into <paramref name="destination"/> as planar B, G, R (CHW)
    /// minus one mean per channel (<paramref name="channelMeans"/> in BGR order).
    /// </summary>
    public static void WriteBgrMinusChannelMeans(Image<Rgb24> image, ReadOnlySpan<float> channelMeans, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        if (channelMeans.Length != Channels || destination.Length < Channels * plane)
        {
            throw new ArgumentException($"Expected {Channels} channel means and room for {Channels * plane} values.");
        }

        var b = destination[..plane];
        var g = destination.Slice(plane, plane);
        var r = destination.Slice(2 * plane, plane);
        var (meanB, meanG, meanR) = (channelMeans[0], channelMeans[1], channelMeans[2]);
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            var offset = y * image.Width;
            for (var x = 0; x < row.Length; x++)
            {
                b[offset + x] = row[x].B - meanB;
                g[offset + x] = row[x].G - meanG;
                r[offset + x] = row[x].R - meanR;
            }
        }
    }

    /// <summary>Per-channel mean of a BGR CHW mean image, for inputs that are not 224×224.</summary>
    public static float[] ChannelMeans(ReadOnlySpan<float> meanImage, int channels = Channels)
    {
        var plane = meanImage.Length / channels;
        var means = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            double sum = 0;
            foreach (var v in meanImage.Slice(c * plane, plane))
            {
                sum += v;
            }

            means[c] = (float)(sum / plane);
        }

        return means;
    }
}
