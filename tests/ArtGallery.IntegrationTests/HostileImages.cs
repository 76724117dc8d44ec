using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.IntegrationTests;

/// <summary>One hostile file: what it is, the name it arrives under, its bytes.</summary>
internal sealed record HostileFile(string Kind, string Name, byte[] Data);

/// <summary>
/// Hostile and damaged images, every one built here from images this code paints (no binary blobs):
/// bombs in pixels, text chunks, colour profiles, EXIF, frames, RLE and deflate; lying headers;
/// truncations with fake end markers; polyglots; SVG and other things named as images.
/// </summary>
internal static class HostileImages
{
    public static IReadOnlyList<HostileFile> All()
    {
        var png = Encode(new PngEncoder(), 64, 48);
        var jpeg = Encode(new JpegEncoder { Quality = 85 }, 64, 48);
        var gif = Encode(new GifEncoder(), 64, 48);
        var bmp = Encode(new BmpEncoder(), 64, 48);
        var tiff = Encode(new TiffEncoder(), 64, 48);
        var webp = Encode(new WebpEncoder(), 64, 48);
        var tga = Encode(new TgaEncoder(), 64, 48);
        var pbm = Encode(new PbmEncoder(), 64, 48);
        var binaryPbm = Encode(new PbmEncoder { Encoding = PbmEncoding.Binary, ColorType = PbmColorType.Rgb }, 64, 48); // the default is plain grey
        var rawTga = Encode(new TgaEncoder { Compression = TgaCompression.None }, 64, 48); // the default is run-length
        var bigGif = Encode(new GifEncoder(), 200, 150);
        var bigJpeg = Encode(new JpegEncoder { Quality = 85 }, 200, 150);
        var rleBmp = BmpRle8Rows(64, 48, rows: 48); // 1,078 bytes of headers and palette, then the runs
        var gigabyteOfZeros = ZlibOfZeros(1L << 30);
        List<HostileFile> files =
        [
            // PNG: text chunks, colour profile, pixels, lying and damaged headers.
            new("PNG zTXt text chunk inflating to 1 GiB", "ztxt-bomb.png", InsertPngChunk(png, "zTXt", [.. "Comment"u8, 0, 0, .. gigabyteOfZeros])),
            new("PNG compressed iTXt chunk inflating to 1 GiB", "itxt-bomb.png", InsertPngChunk(png, "iTXt", [.. "Comment"u8, 0, 1, 0, 0, 0, .. gigabyteOfZeros])),
            new("PNG iCCP colour profile inflating to 1 GiB", "iccp-bomb.png", InsertPngChunk(png, "iCCP", [.. "icc"u8, 0, 0, .. gigabyteOfZeros])),
            new("PNG 10,000 tEXt chunks", "many-text.png", ManyPngTextChunks(png, 10_000)),
            new("PNG declaring 50000×50000 pixels", "huge-ihdr.png", PatchPngSize(png, 50_000, 50_000)),
            new("PNG IDAT deflate bomb (3000×3000 from a tiny file)", "idat-bomb.png", PngDeflateBomb(3000, 3000)),
            new("PNG IDAT deflate bomb declaring 20000×20000", "idat-bomb-huge.png", PngDeflateBomb(20_000, 20_000)),
            new("PNG of width 0", "zero-width.png", PatchPngSize(png, 0, 48)),
            new("PNG cut in IDAT", "cut.png", png[..(png.Length / 2)]),
            new("PNG cut in IDAT with a fake IEND", "cut-fake-iend.png", [.. png[..(png.Length / 2)], 0, 0, 0, 0, .. "IEND"u8, 0xAE, 0x42, 0x60, 0x82]),
            new("PNG with a corrupt CRC", "bad-crc.png", FlipByte(png, 29)),
            new("PNG with a chunk length of 4 GiB", "huge-chunk.png", [.. png[..33], 0xFF, 0xFF, 0xFF, 0xF0, .. "IDAT"u8, .. png[41..]]),
            new("PNG with no IDAT", "no-idat.png", [.. png[..33], 0, 0, 0, 0, .. "IEND"u8, 0xAE, 0x42, 0x60, 0x82]),

            // JPEG: headers, EXIF, ICC, truncations.
            new("JPEG declaring 65000×65000 pixels", "huge-sof.jpg", PatchJpegSize(jpeg, 65_000, 65_000)),
            new("JPEG declaring 8900×8900 pixels with 3 KB of data and an end marker", "fake-eoi-huge.jpg", PatchJpegSize(jpeg, 8900, 8900)),
            new("JPEG cut in the scan", "cut.jpg", jpeg[..(jpeg.Length / 2)]),
            new("JPEG cut in the scan with a fake end marker", "cut-fake-eoi.jpg", [.. jpeg[..(jpeg.Length / 2)], 0xFF, 0xD9]),
            new("JPEG 200×150 cut in the scan with its end marker put back", "cut-fake-eoi-200.jpg", [.. bigJpeg[..(bigJpeg.Length / 2)], 0xFF, 0xD9]),
            new("JPEG cut in the headers", "cut-headers.jpg", jpeg[..120]),
            new("JPEG EXIF claiming 65,535 entries", "exif-count.jpg", InsertJpegSegment(jpeg, 0xE1, ExifWithEntryCount(65_535))),
            new("JPEG EXIF with an IFD pointing at itself", "exif-loop.jpg", InsertJpegSegment(jpeg, 0xE1, ExifSelfLoop())),
            new("JPEG EXIF orientation 9 (no such value)", "exif-orientation.jpg", InsertJpegSegment(jpeg, 0xE1, ExifOrientation(9))),
            new("JPEG with 200 ICC profile segments", "icc-many.jpg", InsertJpegSegments(jpeg, 0xE2, 200, IccSegmentPayload)),
            new("JPEG with 1,000 comment segments", "many-com.jpg", InsertJpegSegments(jpeg, 0xFE, 1000, _ => new byte[60_000])),
            new("JPEG start and end markers only", "soi-eoi.jpg", [0xFF, 0xD8, 0xFF, 0xD9]),

            // GIF: frames, lying screen size, truncations.
            new("GIF with 500 frames", "frames.gif", GifFrames(500)),
            new("GIF declaring a 65535×65535 screen", "huge-screen.gif", PatchLittleEndian16(gif, 6, 65535, 65535)),
            new("GIF cut in the image data", "cut.gif", gif[..(gif.Length / 2)]),
            new("GIF cut with a fake trailer", "cut-fake-trailer.gif", [.. gif[..(gif.Length / 2)], 0x3B]),
            new("GIF cut after its first data sub-block, closed with a terminator and a trailer", "cut-closed.gif", GifCutAfterFirstSubBlock(bigGif)),

            // BMP: RLE, lying header, truncation.
            new("BMP RLE8 bomb (8000×8000 from a few bytes)", "rle-bomb.bmp", BmpRle8(8000, 8000)),
            new("BMP RLE8 declaring 30000×30000", "rle-huge.bmp", BmpRle8(30_000, 30_000)),
            new("BMP with a negative width", "negative.bmp", PatchLittleEndian32(bmp, 18, -64)),
            new("BMP cut in the pixels", "cut.bmp", bmp[..(bmp.Length / 2)]),
            new("BMP RLE8 cut in the pixels (no end-of-bitmap escape)", "cut-rle.bmp", rleBmp[..(1078 + ((rleBmp.Length - 1078) / 2))]),

            // TIFF: pages, lying header, deflate, truncation.
            new("TIFF with 1,000 pages", "pages.tiff", TiffPages(1000)),
            new("TIFF declaring 60000×60000", "huge.tiff", PatchTiffSize(tiff, 60_000, 60_000)),
            new("TIFF cut in the strips", "cut.tiff", tiff[..(tiff.Length / 3)]),
            new("TIFF deflate bomb (4000×4000 zeros)", "deflate.tiff", TiffDeflateBomb(4000, 4000)),

            // WebP: frames, lying RIFF size, truncation.
            new("WebP animation of 3,000 frames", "frames.webp", WebpFrames(webp, 3000)),
            new("WebP with a RIFF size of 4 GiB", "riff-size.webp", PatchLittleEndian32(webp, 4, -2)),
            new("WebP cut in the bitstream", "cut.webp", webp[..(webp.Length / 2)]),
            new("WebP cut with its RIFF size patched to match", "cut-riff.webp", WebpCutWithRiffSize(webp)),

            // TGA and PBM.
            new("TGA declaring 65535×65535", "huge.tga", PatchLittleEndian16(tga, 12, 65535, 65535)),
            new("TGA cut in the pixels", "cut.tga", tga[..(tga.Length / 2)]),
            new("PBM declaring 99999999×99999999", "huge.pbm", "P6\n99999999 99999999\n255\n"u8.ToArray()),
            new("PBM cut in the pixels", "cut.pbm", pbm[..(pbm.Length / 2)]),
            new("PBM binary RGB cut in the pixels", "cut-binary.pbm", binaryPbm[..(binaryPbm.Length / 2)]),
            new("TGA uncompressed cut in the pixels", "cut-raw.tga", rawTga[..(rawTga.Length / 2)]),

            // Polyglots and things that are not images.
            new("JPEG with a ZIP appended (polyglot)", "polyglot-zip.jpg", [.. jpeg, .. SmallZip()]),
            new("GIF header that is also JavaScript (polyglot)", "polyglot-js.gif", [.. "GIF89a/*"u8, .. gif[8..], .. "*/=alert(document.cookie);"u8]),
            new("PNG with HTML after IEND (polyglot)", "polyglot-html.png", [.. png, .. "<html><script>alert(1)</script></html>"u8]),
            new("SVG with a script", "script.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script></svg>"u8.ToArray()),
            new("SVG billion-laughs entities named .png", "laughs.png", Encoding.UTF8.GetBytes(BillionLaughsSvg())),
            new("HTML named .jpg", "page.jpg", "<!doctype html><script>alert(1)</script>"u8.ToArray()),
            new("ELF executable header named .jpg", "elf.jpg", [0x7F, .. "ELF"u8, 2, 1, 1, .. new byte[4000]]),
            new("1 MB of random bytes", "random.jpg", RandomBytes(1 << 20)),
            new("1 MB of zeros", "zeros.png", new byte[1 << 20]),
        ];
        return files;
    }

    private static byte[] Encode(IImageEncoder encoder, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)(x * 4), (byte)(y * 5), (byte)((x + y) * 2));
                }
            }
        });
        using var buffer = new MemoryStream();
        image.Save(buffer, encoder);
        return buffer.ToArray();
    }

    private static byte[] ZlibOfZeros(long bytes)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1 << 20];
            for (long written = 0; written < bytes; written += chunk.Length)
            {
                zlib.Write(chunk);
            }
        }

        return output.ToArray();
    }

    private static byte[] PngChunk(string type, ReadOnlySpan<byte> payload)
    {
        var chunk = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)payload.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        payload.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + payload.Length), Crc32(chunk.AsSpan(4, 4 + payload.Length)));
        return chunk;
    }

    /// <summary>Right after IHDR (signature 8 + IHDR 25 = 33 bytes).</summary>
    private static byte[] InsertPngChunk(byte[] png, string type, byte[] payload) => [.. png[..33], .. PngChunk(type, payload), .. png[33..]];

    private static byte[] ManyPngTextChunks(byte[] png, int count)
    {
        var one = PngChunk("tEXt", [.. "Comment"u8, 0, .. "hello"u8]);
        using var output = new MemoryStream();
        output.Write(png, 0, 33);
        for (var i = 0; i < count; i++)
        {
            output.Write(one);
        }

        output.Write(png, 33, png.Length - 33);
        return output.ToArray();
    }

    private static byte[] PatchPngSize(byte[] png, int width, int height)
    {
        var copy = png.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    /// <summary>A valid grey PNG whose IDAT is a few KB of deflate standing for width×height pixels.</summary>
    private static byte[] PngDeflateBomb(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        var rawRows = Math.Min((long)(width + 1) * height, 64L << 20);
        return [0x89, .. "PNG"u8, 0x0D, 0x0A, 0x1A, 0x0A, .. PngChunk("IHDR", ihdr), .. PngChunk("IDAT", ZlibOfZeros(rawRows)), .. PngChunk("IEND", [])];
    }

    private static byte[] PatchJpegSize(byte[] jpeg, int width, int height)
    {
        var copy = jpeg.ToArray();
        for (var i = 2; i + 9 < copy.Length; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                return copy;
            }
        }

        throw new InvalidOperationException("no SOF marker");
    }

    private static byte[] InsertJpegSegment(byte[] jpeg, byte marker, byte[] payload) => InsertJpegSegments(jpeg, marker, 1, _ => payload);

    private static byte[] InsertJpegSegments(byte[] jpeg, byte marker, int count, Func<int, byte[]> payload)
    {
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        for (var i = 0; i < count; i++)
        {
            var data = payload(i);
            output.Write([0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2)]);
            output.Write(data);
        }

        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    private static byte[] IccSegmentPayload(int index) => [.. "ICC_PROFILE"u8, 0, (byte)(index + 1), 200, .. new byte[60_000]];

    private static byte[] ExifHeader(ushort entries, out int ifdStart)
    {
        // "Exif\0\0", then a big-endian TIFF header whose first IFD is at 8.
        ifdStart = 6 + 8;
        var data = new byte[6 + 8 + 2];
        "Exif"u8.CopyTo(data);
        "MM"u8.CopyTo(data.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(8), 42);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(10), 8);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(14), entries);
        return data;
    }

    private static byte[] ExifWithEntryCount(ushort entries) => [.. ExifHeader(entries, out _), .. new byte[1200]];

    private static byte[] ExifSelfLoop()
    {
        // One entry, the Exif IFD pointer (0x8769), pointing back at the same IFD.
        var entry = new byte[12 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(entry, 0x8769);
        BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(2), 4);
        BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(8), 8);
        BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(12), 8);
        return [.. ExifHeader(1, out _), .. entry];
    }

    private static byte[] ExifOrientation(ushort value)
    {
        var entry = new byte[12 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(entry, 0x0112);
        BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(2), 3);
        BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(8), value);
        return [.. ExifHeader(1, out _), .. entry];
    }

    private static byte[] GifFrames(int frames)
    {
        using var image = new Image<Rgb24>(200, 200);
        for (var i = 1; i < frames; i++)
        {
            using var frame = new Image<Rgb24>(200, 200, new Rgb24((byte)i, 0, 0));
            image.Frames.AddFrame(frame.Frames.RootFrame);
        }

        using var buffer = new MemoryStream();
        image.SaveAsGif(buffer);
        return buffer.ToArray();
    }

    private static byte[] PatchLittleEndian16(byte[] data, int offset, int first, int second)
    {
        var copy = data.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), (ushort)first);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset + 2), (ushort)second);
        return copy;
    }

    private static byte[] PatchLittleEndian32(byte[] data, int offset, int value)
    {
        var copy = data.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    /// <summary>A GIF cut after its image's first LZW sub-block and closed with a terminator and a trailer: whole blocks, too few pixels.</summary>
    internal static byte[] GifCutAfterFirstSubBlock(byte[] gif)
    {
        static int Table(byte packed) => (packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0;
        var pos = 13 + Table(gif[10]);
        while (gif[pos] == 0x21)
        {
            pos += 2;
            while (gif[pos] != 0)
            {
                pos += 1 + gif[pos];
            }

            pos++;
        }

        pos += 10 + Table(gif[pos + 9]) + 1;
        return [.. gif[..(pos + 1 + gif[pos])], 0x00, 0x3B];
    }

    private static byte[] WebpCutWithRiffSize(byte[] webp)
    {
        var cut = webp[..(webp.Length / 2 & ~1)];
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(4), (uint)(cut.Length - 8));
        return cut;
    }

    /// <summary>
    /// An 8-bit RLE BMP of real runs, four a row, each of its first <paramref name="rows"/> rows ended by its
    /// escape, then end of bitmap (the rows after it are background).
    /// </summary>
    internal static byte[] BmpRle8Rows(int width, int height, int rows)
    {
        var runs = new List<byte>();
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < width; x += 16)
            {
                runs.AddRange([16, (byte)(x + y)]);
            }

            runs.AddRange([0, 0]);
        }

        runs.AddRange([0, 1]);
        var data = BmpRle8(width, height);
        var header = data[..^2];
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(2), header.Length + runs.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(34), runs.Count);
        return [.. header, .. runs];
    }

    /// <summary>An 8-bit RLE BMP whose pixel data is one "end of bitmap" escape.</summary>
    private static byte[] BmpRle8(int width, int height)
    {
        const int palette = 256 * 4;
        var pixels = new byte[] { 0, 1 };
        var data = new byte[14 + 40 + palette + pixels.Length];
        "BM"u8.CopyTo(data);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(2), data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(10), 14 + 40 + palette);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(28), 8);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(30), 1); // BI_RLE8
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(34), pixels.Length);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(46), 256);
        pixels.CopyTo(data, 14 + 40 + palette);
        return data;
    }

    private static byte[] TiffPages(int pages)
    {
        using var image = new Image<Rgb24>(100, 100);
        for (var i = 1; i < pages; i++)
        {
            using var frame = new Image<Rgb24>(100, 100, new Rgb24(0, (byte)i, 0));
            image.Frames.AddFrame(frame.Frames.RootFrame);
        }

        using var buffer = new MemoryStream();
        image.SaveAsTiff(buffer);
        return buffer.ToArray();
    }

    private static byte[] PatchTiffSize(byte[] tiff, int width, int height)
    {
        var copy = tiff.ToArray();
        var little = copy[0] == (byte)'I';
        var ifd = (int)(little ? BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(4)) : BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(4)));
        int entries = little ? BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(ifd)) : BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(ifd));
        for (var i = 0; i < entries; i++)
        {
            var at = ifd + 2 + (i * 12);
            int tag = little ? BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at));
            int type = little ? BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at + 2)) : BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at + 2));
            if (tag is 256 or 257)
            {
                var value = tag == 256 ? width : height;
                if (type == 3)
                {
                    // SHORT: the value no longer fits; make it LONG.
                    WriteUInt16(copy, at + 2, 4, little);
                }

                WriteUInt32(copy, at + 8, (uint)value, little);
            }
        }

        return copy;
    }

    private static void WriteUInt16(byte[] data, int at, ushort value, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), value);
        }
    }

    private static void WriteUInt32(byte[] data, int at, uint value, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
        }
    }

    private static byte[] TiffDeflateBomb(int width, int height)
    {
        using var image = new Image<L8>(width, height);
        using var buffer = new MemoryStream();
        image.SaveAsTiff(buffer, new TiffEncoder { Compression = SixLabors.ImageSharp.Formats.Tiff.Constants.TiffCompression.Deflate, BitsPerPixel = TiffBitsPerPixel.Bit8 });
        return buffer.ToArray();
    }

    /// <summary>A VP8X animated WebP: the still image's VP8/VP8L chunk wrapped in <paramref name="frames"/> ANMF chunks.</summary>
    private static byte[] WebpFrames(byte[] still, int frames)
    {
        var bitstream = still[12..];
        var anmf = new byte[16 + bitstream.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(anmf.AsSpan(6), 63);  // width - 1 (24-bit)
        BinaryPrimitives.WriteUInt16LittleEndian(anmf.AsSpan(9), 47);  // height - 1
        anmf[12] = 100; // duration
        bitstream.CopyTo(anmf, 16);
        using var body = new MemoryStream();
        var vp8x = new byte[10];
        vp8x[0] = 0x02; // animation
        vp8x[4] = 63;
        vp8x[7] = 47;
        WriteRiffChunk(body, "VP8X", vp8x);
        WriteRiffChunk(body, "ANIM", new byte[6]);
        for (var i = 0; i < frames; i++)
        {
            WriteRiffChunk(body, "ANMF", anmf);
        }

        var payload = body.ToArray();
        var riff = new byte[12 + payload.Length];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(4 + payload.Length));
        "WEBP"u8.CopyTo(riff.AsSpan(8));
        payload.CopyTo(riff, 12);
        return riff;
    }

    private static void WriteRiffChunk(Stream stream, string type, byte[] payload)
    {
        stream.Write(Encoding.ASCII.GetBytes(type));
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)payload.Length);
        stream.Write(size);
        stream.Write(payload);
        if ((payload.Length & 1) == 1)
        {
            stream.WriteByte(0);
        }
    }

    private static byte[] SmallZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("payload.txt").Open());
            entry.Write("hidden");
        }

        return buffer.ToArray();
    }

    private static string BillionLaughsSvg()
    {
        var entities = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY l0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            entities.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">");
        }

        return entities.Append("]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&l9;</text></svg>").ToString();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(16).NextBytes(bytes);
        return bytes;
    }

    private static byte[] FlipByte(byte[] data, int at)
    {
        var copy = data.ToArray();
        copy[at] ^= 0xFF;
        return copy;
    }

    /// <summary>PNG's chunk CRC (also used by ImportHostileInputTests).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
