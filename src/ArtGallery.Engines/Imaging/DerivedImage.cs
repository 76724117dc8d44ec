using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Engines.Imaging;

/// <summary>The sizes the gallery serves; the original is kept as uploaded and never served.</summary>
public enum DerivedSize
{
    /// <summary>Grid cards: 400 px on the long side.</summary>
    Thumb,

    /// <summary>The artwork page: 1280 px.</summary>
    Display,

    /// <summary>Zoom and pan: 2560 px.</summary>
    Large,

    /// <summary>
    /// The encoder's input: shorter side 256 px (ImageNet's resize-256, crop-224), so embedding
    /// never decodes a large original again. Not served.
    /// </summary>
    Model,
}

public static class DerivedImage
{
    public const int ModelShortSide = 256;

    public static int LongSide(DerivedSize size) => size switch
    {
        DerivedSize.Thumb => 400,
        DerivedSize.Display => 1280,
        DerivedSize.Large => 2560,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Model is sized by its shorter side."),
    };

    /// <summary>The pixel size of a derived image of a <paramref name="width"/>×<paramref name="height"/> original.</summary>
    public static Size TargetSize(int width, int height, DerivedSize size) =>
        size == DerivedSize.Model ? FitShortSide(width, height, ModelShortSide) : Fit(width, height, LongSide(size));

    /// <summary>Scales so the shorter side is <paramref name="shortSide"/>, never enlarging.</summary>
    public static Size FitShortSide(int width, int height, int shortSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var scale = Math.Min(1.0, (double)shortSide / Math.Min(width, height));
        return new Size(Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>Target size that fits <paramref name="longSide"/> without enlarging.</summary>
    public static Size Fit(int width, int height, int longSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var scale = Math.Min(1.0, (double)longSide / Math.Max(width, height));
        return new Size(Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>
    /// Writes a JPEG of <paramref name="source"/> at <paramref name="size"/>, with no metadata
    /// (no EXIF, GPS, ICC, IPTC or XMP) carried over from the upload.
    /// </summary>
    public static void WriteJpeg(Image<Rgb24> source, DerivedSize size, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = TargetSize(source.Width, source.Height, size);
        using var derived = source.Clone(x => x.Resize(new ResizeOptions { Size = target, Sampler = KnownResamplers.Bicubic, Mode = ResizeMode.Stretch }));
        StripMetadata(derived);
        derived.SaveAsJpeg(destination, new JpegEncoder { Quality = size == DerivedSize.Thumb ? 82 : 90 });
    }

    public static void StripMetadata(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Metadata.ExifProfile = null;
        image.Metadata.IccProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.XmpProfile = null;
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.XmpProfile = null;
        }
    }
}
