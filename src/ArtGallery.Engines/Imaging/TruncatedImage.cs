using System.Buffers.Binary;
using SkiaSharp;

namespace ArtGallery.Engines.Imaging;

/// <summary>
/// Whether a file's data ends before its header's picture does. ImageSharp 2.1 fills the rows a cut
/// file lacks (grey, black or the background) and accepts a half-downloaded or cut-and-patched file,
/// so each format's own structure is walked here: an end marker stuck on after a cut is not enough.
/// </summary>
public static class TruncatedImage
{
    /// <summary>True when the file ends before the picture its header declares (decision 14).</summary>
    public static bool EndsEarly(string format, ReadOnlySpan<byte> data)
    {
        static ReadOnlySpan<byte> Tail(ReadOnlySpan<byte> d, int n) => d[Math.Max(0, d.Length - n)..];
        return format switch
        {
            "JPEG" => Tail(data, 4096).IndexOf([(byte)0xFF, (byte)0xD9]) < 0,
            "PNG" => Tail(data, 64).IndexOf("IEND"u8) < 0,
            "GIF" => GifEndsEarly(data),
            "BMP" => BmpPixelsMissing(data),
            "Webp" or "WEBP" => WebpChunksCut(data),
            "TGA" => TgaPixelsMissing(data),
            "PBM" => PbmPixelsMissing(data),
            _ => false,
        };
    }

    /// <summary>
    /// True when libjpeg-turbo (SkiaSharp's <see cref="SKCodec"/>) finds a JPEG's entropy-coded data
    /// ending before its last block: a file cut in its scan, even with its end marker put back, which
    /// ImageSharp 2.1 fills with grey blocks. libjpeg only warns when a scan meets the end marker early
    /// and Skia does not pass warnings on, so the codec is given the file up to its end marker, not
    /// including it: a whole scan needs nothing after its last block, a cut one runs out of data
    /// (IncompleteInput). Decoded at the smallest scale libjpeg offers (1/8): DCT scaling still reads
    /// every block but writes a 64th of the pixels. Only a cut or damaged scan counts (IncompleteInput,
    /// ErrorInInput); a JPEG Skia cannot read is left to ImageSharp's verdict, and a progressive one is
    /// not checked (<see cref="JpegScanResult"/>).
    /// </summary>
    public static bool JpegScanEndsEarly(byte[] data) =>
        JpegScanResult(data) is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput;

    /// <summary>SKCodec's verdict on the file up to its end marker, padded (see <see cref="JpegScanEndsEarly"/>).</summary>
    public static SKCodecResult JpegScanResult(byte[] data)
    {
        var (end, progressive) = JpegEndMarker(data);
        if (progressive)
        {
            // libjpeg reads a progressive file's scans whole before any row and wants its end marker:
            // without one it suspends (InvalidInput), with one a cut scan is only a warning. Not checked.
            return SKCodecResult.Unimplemented;
        }

        byte[] scan = end < 0 ? data : [.. data.AsSpan(0, end), .. new byte[ScanPadding]];
        using var skData = SKData.CreateCopy(scan);
        using var codec = SKCodec.Create(skData);
        if (codec is null)
        {
            return SKCodecResult.Unimplemented;
        }

        var size = codec.GetScaledDimensions(1 / 8f);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        return codec.GetPixels(info, bitmap.GetPixels());
    }

    /// <summary>Zero bytes in place of the end marker: libjpeg's Huffman decoder reads a few bytes past the last block.</summary>
    private const int ScanPadding = 16;

    /// <summary>
    /// Where a JPEG's end marker (FFD9) is (-1 if none), walking its segments by their lengths and each
    /// scan's entropy-coded data to its next marker (an FF there is followed by 00 or a restart marker),
    /// and whether its frame is progressive (SOF2, SOF6, SOF10, SOF14).
    /// </summary>
    public static (int End, bool Progressive) JpegEndMarker(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        var progressive = false;
        while (pos + 1 < data.Length)
        {
            if (data[pos] != 0xFF)
            {
                return (-1, progressive);
            }

            var marker = data[pos + 1];
            if (marker == 0xFF)
            {
                pos++; // fill byte
                continue;
            }

            if (marker == 0xD9)
            {
                return (pos, progressive);
            }

            progressive |= marker is 0xC2 or 0xC6 or 0xCA or 0xCE;
            if (marker is 0x01 or >= 0xD0 and <= 0xD7)
            {
                pos += 2;
                continue;
            }

            if (pos + 3 >= data.Length)
            {
                return (-1, progressive);
            }

            pos += 2 + BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            if (marker != 0xDA)
            {
                continue;
            }

            while (pos + 1 < data.Length && (data[pos] != 0xFF || data[pos + 1] is 0x00 or >= 0xD0 and <= 0xD7))
            {
                pos++;
            }
        }

        return (-1, progressive);
    }

    /// <summary>
    /// True when a JPEG is far too small for the size its header declares. Huffman coding spends at
    /// least one bit on every 8×8 block, so a real JPEG has at least one byte per 512 pixels; a file
    /// with less than half that is a cut-off one, whatever end marker was stuck on (a 32 KB file
    /// declaring 79 megapixels became a grey work).
    /// </summary>
    public static bool TooLittleData(string format, long bytes, int width, int height) =>
        format == "JPEG" && bytes < (long)width * height / 1024;

    /// <summary>
    /// Walks a GIF's blocks to its trailer: every extension's and image's data sub-blocks must be whole,
    /// and every image's LZW codes must yield all of its pixels. A GIF cut inside its data with a 0x3B
    /// put back fails the first (the trailer is read as data), one cut at a sub-block boundary and closed
    /// with a terminator and a trailer fails the second.
    /// </summary>
    public static bool GifEndsEarly(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13)
        {
            return true;
        }

        long pos = 13 + ColourTableBytes(data[10]);
        var images = 0;
        var lengths = new short[4096];
        while (pos < data.Length)
        {
            var block = data[(int)pos];
            if (block == 0x3B)
            {
                return images == 0;
            }

            long pixels = 0;
            int minCodeSize = 0;
            if (block == 0x21)
            {
                pos += 2; // introducer, label
            }
            else if (block == 0x2C)
            {
                if (pos + 11 > data.Length)
                {
                    return true;
                }

                pixels = (long)BinaryPrimitives.ReadUInt16LittleEndian(data[(int)(pos + 5)..]) * BinaryPrimitives.ReadUInt16LittleEndian(data[(int)(pos + 7)..]);
                pos += 10 + ColourTableBytes(data[(int)(pos + 9)]);
                if (pos >= data.Length)
                {
                    return true;
                }

                minCodeSize = data[(int)pos];
                pos++;
                images++;
            }
            else
            {
                return true; // not a block: the data ran on past where the blocks stopped
            }

            var start = pos;
            if (!SkipSubBlocks(data, ref pos))
            {
                return true;
            }

            if (block == 0x2C && LzwPixels(data[(int)start..(int)pos], minCodeSize, pixels, lengths) < pixels)
            {
                return true;
            }
        }

        return true; // no trailer
    }

    private static long ColourTableBytes(byte packed) => (packed & 0x80) != 0 ? 3L << ((packed & 7) + 1) : 0;

    /// <summary>Moves past a chain of data sub-blocks and its zero terminator; false when the file ends first.</summary>
    private static bool SkipSubBlocks(ReadOnlySpan<byte> data, ref long pos)
    {
        while (pos < data.Length)
        {
            var size = data[(int)pos];
            pos += 1 + size;
            if (size == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// How many pixels an image's LZW codes (its sub-blocks, sizes included) decode to, counting string
    /// lengths only (no pixels are produced); stops at the end code or once <paramref name="enough"/>.
    /// </summary>
    private static long LzwPixels(ReadOnlySpan<byte> subBlocks, int minCodeSize, long enough, short[] lengths)
    {
        if (minCodeSize is < 2 or > 11)
        {
            return 0;
        }

        int clear = 1 << minCodeSize, end = clear + 1;
        int next = clear + 2, codeSize = minCodeSize + 1, previous = -1;
        for (var i = 0; i < clear; i++)
        {
            lengths[i] = 1;
        }

        long pixels = 0;
        int bits = 0, buffer = 0, blockLeft = 0, pos = 0;
        while (pixels < enough)
        {
            while (bits < codeSize)
            {
                if (blockLeft == 0)
                {
                    if (pos >= subBlocks.Length || subBlocks[pos] == 0)
                    {
                        return pixels;
                    }

                    blockLeft = subBlocks[pos++];
                }

                buffer |= subBlocks[pos++] << bits;
                bits += 8;
                blockLeft--;
            }

            var code = buffer & ((1 << codeSize) - 1);
            buffer >>= codeSize;
            bits -= codeSize;
            if (code == clear)
            {
                next = clear + 2;
                codeSize = minCodeSize + 1;
                previous = -1;
                continue;
            }

            if (code == end)
            {
                return pixels;
            }

            if (previous < 0)
            {
                pixels += code < clear ? 1 : 0;
                previous = code;
                continue;
            }

            int length;
            if (code < next)
            {
                length = lengths[code];
            }
            else if (code == next)
            {
                length = lengths[previous] + 1;
            }
            else
            {
                return pixels; // a code not yet defined: damaged data
            }

            pixels += length;
            if (next < 4096)
            {
                lengths[next] = (short)Math.Min(short.MaxValue, lengths[previous] + 1);
                next++;
                if (next == 1 << codeSize && codeSize < 12)
                {
                    codeSize++;
                }
            }

            previous = code;
        }

        return pixels;
    }

    /// <summary>
    /// An uncompressed BMP shorter than its header's rows need, or a run-length one (RLE8/RLE4) whose
    /// codes run out before its end-of-bitmap escape and its last row.
    /// </summary>
    private static bool BmpPixelsMissing(ReadOnlySpan<byte> data)
    {
        if (data.Length < 34)
        {
            return true;
        }

        var offset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        var width = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[18..]));
        var height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..]));
        var bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
        var compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        return compression switch
        {
            0 or 3 => offset + (((bitsPerPixel * width) + 31) / 32 * 4 * height) > data.Length,
            1 or 2 => offset > data.Length || RleEndsEarly(data[(int)offset..], height, fourBit: compression == 2),
            _ => false,
        };
    }

    private static bool RleEndsEarly(ReadOnlySpan<byte> rle, long height, bool fourBit)
    {
        long rows = 0;
        var pos = 0;
        while (pos + 1 < rle.Length)
        {
            int count = rle[pos], value = rle[pos + 1];
            pos += 2;
            if (count > 0)
            {
                continue;
            }

            switch (value)
            {
                case 0:
                    rows++;
                    break;
                case 1:
                    return false; // end of bitmap: what follows may be left blank on purpose
                case 2:
                    if (pos + 1 >= rle.Length)
                    {
                        return true;
                    }

                    rows += rle[pos + 1];
                    pos += 2;
                    break;
                default:
                    var bytes = fourBit ? (value + 1) / 2 : value;
                    pos += bytes + (bytes & 1);
                    break;
            }
        }

        // No end-of-bitmap escape: whole only if every row was ended.
        return pos > rle.Length || rows < height;
    }

    /// <summary>A WebP whose RIFF size or any of its chunks runs past the end of the file.</summary>
    private static bool WebpChunksCut(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12 || BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L > data.Length)
        {
            return true;
        }

        var end = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L;
        long offset = 12;
        while (offset + 8 <= end)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(offset + 4)..]);
            offset += 8L + size;
            if (offset > end)
            {
                return true;
            }

            offset += size & 1;
        }

        return offset < 20; // not even one chunk
    }

    /// <summary>A TGA whose pixels (raw, or run-length packets) stop before width × height.</summary>
    private static bool TgaPixelsMissing(ReadOnlySpan<byte> data)
    {
        if (data.Length < 18)
        {
            return true;
        }

        int idLength = data[0], colourMapType = data[1], imageType = data[2];
        var mapLength = BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
        var mapEntryBits = data[7];
        long pixels = (long)BinaryPrimitives.ReadUInt16LittleEndian(data[12..]) * BinaryPrimitives.ReadUInt16LittleEndian(data[14..]);
        var bytesPerPixel = (data[16] + 7) / 8;
        long pos = 18 + idLength + (colourMapType == 1 ? mapLength * ((mapEntryBits + 7L) / 8) : 0);
        if (imageType is 1 or 2 or 3)
        {
            return pos + (pixels * bytesPerPixel) > data.Length;
        }

        if (imageType is not (9 or 10 or 11))
        {
            return false;
        }

        long done = 0;
        while (done < pixels)
        {
            if (pos >= data.Length)
            {
                return true;
            }

            var header = data[(int)pos++];
            var count = (header & 0x7F) + 1;
            pos += (header & 0x80) != 0 ? bytesPerPixel : (long)count * bytesPerPixel;
            if (pos > data.Length)
            {
                return true;
            }

            done += count;
        }

        return false;
    }

    /// <summary>A Netpbm file (P1–P6) with fewer samples than its header's width × height need.</summary>
    private static bool PbmPixelsMissing(ReadOnlySpan<byte> data)
    {
        if (data.Length < 3 || data[0] != (byte)'P' || data[1] is < (byte)'1' or > (byte)'6')
        {
            return false;
        }

        var kind = data[1] - '0';
        var pos = 2;
        var header = new long[kind is 1 or 4 ? 2 : 3];
        for (var i = 0; i < header.Length; i++)
        {
            if (ReadNumber(data, ref pos) is not { } number)
            {
                return true;
            }

            header[i] = number;
        }

        long width = header[0], height = header[1];
        var sampleBytes = kind is 1 or 4 || header[2] < 256 ? 1 : 2;
        var channels = kind is 3 or 6 ? 3 : 1;
        if (kind >= 4)
        {
            pos++; // the one whitespace byte before binary samples
            var needed = kind == 4 ? (width + 7) / 8 * height : width * height * channels * sampleBytes;
            return pos + needed > data.Length;
        }

        // Plain (ASCII) samples: P1 may write its bits without spaces between them.
        var samples = width * height * channels;
        long found = 0;
        while (found < samples && pos < data.Length)
        {
            if (kind == 1)
            {
                found += data[pos] is (byte)'0' or (byte)'1' ? 1 : 0;
                pos++;
            }
            else if (ReadNumber(data, ref pos) is not null)
            {
                found++;
            }
            else
            {
                break;
            }
        }

        return found < samples;
    }

    /// <summary>The next decimal number after whitespace and # comments, or null at the end or on anything else.</summary>
    private static long? ReadNumber(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length && (data[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' || data[pos] == (byte)'#'))
        {
            if (data[pos] == (byte)'#')
            {
                while (pos < data.Length && data[pos] != (byte)'\n')
                {
                    pos++;
                }
            }
            else
            {
                pos++;
            }
        }

        var start = pos;
        long value = 0;
        while (pos < data.Length && data[pos] is >= (byte)'0' and <= (byte)'9' && pos - start < 12)
        {
            value = (value * 10) + (data[pos] - '0');
            pos++;
        }

        return pos > start ? value : null;
    }
}
