using System.Buffers.Binary;

namespace ArtGallery.Engines.Imaging;

/// <summary>
/// Removes metadata the gallery never uses before ImageSharp sees a file. ImageSharp 2.1 inflates a
/// PNG's zTXt, compressed iTXt and iCCP chunks whole, with no limit, in Identify as in Load (a 1 MB
/// file whose text chunk inflates to 1 GiB took 3 GB and minutes), and assembles every ICC segment
/// of a JPEG however many there are. Derived images are written without metadata and ImageSharp 2.1
/// applies no ICC profile, so dropping these loses nothing we use and leaves the pixels untouched.
/// Kept: a JPEG's JFIF (APP0), EXIF (APP1, for the orientation) and Adobe (APP14, for the colour
/// transform) segments.
/// </summary>
public static class MetadataStripper
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary><paramref name="data"/> without the metadata above; the same array when there is none.</summary>
    public static byte[] Strip(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.AsSpan().StartsWith(PngSignature))
        {
            return StripPng(data);
        }

        return data.Length > 4 && data[0] == 0xFF && data[1] == 0xD8 ? StripJpeg(data) : data;
    }

    /// <summary>Drops zTXt, iTXt, tEXt and iCCP chunks. A chunk running past the end is left for the decoder to refuse.</summary>
    private static byte[] StripPng(byte[] data)
    {
        var kept = new List<Range>();
        var offset = PngSignature.Length;
        var removed = false;
        while (offset + 12 <= data.Length)
        {
            var total = 12L + BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset, 4));
            if (offset + total > data.Length)
            {
                break;
            }

            var type = data.AsSpan(offset + 4, 4);
            if (type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8) || type.SequenceEqual("tEXt"u8) || type.SequenceEqual("iCCP"u8))
            {
                removed = true;
            }
            else
            {
                kept.Add(offset..(int)(offset + total));
            }

            offset += (int)total;
        }

        return removed ? Join(data, PngSignature.Length, kept, offset) : data;
    }

    /// <summary>Drops APP2–APP13, APP15, XMP in APP1, and comments, up to the first scan.</summary>
    private static byte[] StripJpeg(byte[] data)
    {
        var kept = new List<Range>();
        var offset = 2;
        var removed = false;
        while (offset + 4 <= data.Length && data[offset] == 0xFF)
        {
            var marker = data[offset + 1];
            if (marker is 0xDA or 0xD9 || marker is >= 0xD0 and <= 0xD7 || marker == 0x01)
            {
                break;
            }

            var end = offset + 2 + BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 2, 2));
            if (end > data.Length)
            {
                break;
            }

            var isExif = marker == 0xE1 && data.AsSpan(offset + 4, end - offset - 4).StartsWith("Exif\0"u8);
            if (marker == 0xFE || (marker is >= 0xE1 and <= 0xEF && marker is not 0xEE && !isExif))
            {
                removed = true;
            }
            else
            {
                kept.Add(offset..end);
            }

            offset = end;
        }

        return removed ? Join(data, 2, kept, offset) : data;
    }

    /// <summary>The first <paramref name="head"/> bytes, the kept ranges, and everything from <paramref name="rest"/> on.</summary>
    private static byte[] Join(byte[] data, int head, List<Range> kept, int rest)
    {
        var length = head + kept.Sum(r => r.GetOffsetAndLength(data.Length).Length) + (data.Length - rest);
        var result = new byte[length];
        data.AsSpan(0, head).CopyTo(result);
        var at = head;
        foreach (var range in kept)
        {
            var part = data.AsSpan(range);
            part.CopyTo(result.AsSpan(at));
            at += part.Length;
        }

        data.AsSpan(rest).CopyTo(result.AsSpan(at));
        return result;
    }
}
