using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Engines.Imaging;

/// <summary>What a decoded image is, before its pixels are touched.</summary>
public sealed record ImageHeader(int Width, int Height, string Format, string MimeType);

/// <summary>
/// Decodes untrusted images within <see cref="ImageLimits"/>: the size and header are checked before
/// any pixel buffer is allocated, and multi-frame formats decode their first frame only.
/// </summary>
public sealed class ImageDecoder
{
    private readonly Configuration _configuration;

    public ImageDecoder(ImageLimits? limits = null)
    {
        Limits = limits ?? ImageLimits.Default;
        _configuration = Configuration.Default.Clone();
        _configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        _configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
    }

    /// <summary>Above this many pixels, a file may not unpack to more than <see cref="BombRatio"/> times its size.</summary>
    public const long BombMinPixels = 16_000_000;

    /// <summary>
    /// RGB bytes per file byte beyond which a large image is a decompression bomb. Deflate (PNG, TIFF)
    /// cannot pass about 1,030:1 and baseline JPEG about 770:1 even for a flat fill; only run-length
    /// tricks (a BMP's end-of-bitmap escape, which leaves the rest of the picture to be filled) go
    /// past 3,000:1, costing a full decode of up to 80 megapixels for a file of a few bytes.
    /// </summary>
    public const long BombRatio = 3_000;

    public ImageLimits Limits { get; }

    /// <summary>Reads and checks the header only.</summary>
    public ImageHeader Identify(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFileSize(data.Length);
        data = MetadataStripper.Strip(data);
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(_configuration, data, out format);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw new ImageRejectedException($"The file is not a readable image: {ex.Message}", ex);
        }

        if (info is null || format is null)
        {
            throw new ImageRejectedException("The file is not an image in a supported format (JPEG, PNG, GIF, BMP, TIFF, WebP, TGA, PBM).");
        }

        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageRejectedException("The image has no pixels.");
        }

        if (info.Width > Limits.MaxSide || info.Height > Limits.MaxSide || (long)info.Width * info.Height > Limits.MaxPixels)
        {
            throw new ImageRejectedException(
                $"The image is {info.Width}×{info.Height} pixels; the limit is {Limits.MaxPixels / 1_000_000} megapixels and {Limits.MaxSide} pixels a side.");
        }

        if (TruncatedImage.EndsEarly(format.Name, data) || TruncatedImage.TooLittleData(format.Name, data.Length, info.Width, info.Height)
            || (format.Name == "JPEG" && TruncatedImage.JpegScanEndsEarly(data)))
        {
            throw new ImageRejectedException($"The {format.Name} file ends early: it is truncated or damaged.");
        }

        var pixels = (long)info.Width * info.Height;
        if (pixels > BombMinPixels && data.Length < pixels * 3 / BombRatio)
        {
            throw new ImageRejectedException(
                $"The image declares {info.Width}×{info.Height} pixels in a {data.Length:N0}-byte file: it would unpack over {BombRatio}× its size, and is refused as a decompression bomb.");
        }

        // ImageSharp 2.1 decodes every frame of an animated WebP: bound frames × pixels ourselves.
        if (format == WebpFormat.Instance)
        {
            var frames = WebpFrameCount(data);
            if (frames * (long)info.Width * info.Height > Limits.MaxPixels)
            {
                throw new ImageRejectedException(
                    $"The animated image has {frames} frames of {info.Width}×{info.Height}; the limit is {Limits.MaxPixels / 1_000_000} megapixels in all.");
            }
        }

        return new ImageHeader(info.Width, info.Height, format.Name, format.DefaultMimeType);
    }

    /// <summary>Decodes the first frame as RGB, turned upright by its EXIF orientation.</summary>
    public Image<Rgb24> Decode(byte[] data) => Decode(data, out _);

    /// <summary>As <see cref="Decode(byte[])"/>, also giving the header it checked (read once).</summary>
    public Image<Rgb24> Decode(byte[] data, out ImageHeader header)
    {
        data = MetadataStripper.Strip(data);
        header = Identify(data);
        try
        {
            var image = Image.Load<Rgb24>(_configuration, data);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw new ImageRejectedException($"The image could not be decoded: {ex.Message}", ex);
        }
    }

    private void CheckFileSize(long length)
    {
        if (length == 0)
        {
            throw new ImageRejectedException("The file is empty.");
        }

        if (length > Limits.MaxFileBytes)
        {
            throw new ImageRejectedException($"The file is {length / (1024 * 1024)} MiB; the limit is {Limits.MaxFileBytes / (1024 * 1024)} MiB.");
        }
    }

    /// <summary>Counts ANMF chunks in a WebP RIFF container (1 for a still image).</summary>
    public static int WebpFrameCount(ReadOnlySpan<byte> data)
    {
        var frames = 0;
        var offset = 12;
        while (offset + 8 <= data.Length)
        {
            var fourCc = data.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(offset + 4, 4));
            if (fourCc.SequenceEqual("ANMF"u8))
            {
                frames++;
            }

            var next = offset + 8L + size + (size & 1);
            if (next > data.Length || next <= offset)
            {
                break;
            }

            offset = (int)next;
        }

        return Math.Max(1, frames);
    }

    private static bool IsDecodeFailure(Exception ex) =>
        ex is ImageFormatException or NotSupportedException or InvalidDataException or IndexOutOfRangeException
            or ArgumentException or InvalidOperationException or OverflowException;
}
