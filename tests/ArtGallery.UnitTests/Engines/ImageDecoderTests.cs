using ArtGallery.Engines.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Engines;

public class ImageDecoderTests
{
    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(10, 20, 30));
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public void Decode_ReadsAValidImage()
    {
        using var image = new ImageDecoder().Decode(Png(30, 20));
        Assert.Equal((30, 20), (image.Width, image.Height));
        Assert.Equal(new Rgb24(10, 20, 30), image[0, 0]);
    }

    [Fact]
    public void Identify_ReportsFormatAndSize()
    {
        var header = new ImageDecoder().Identify(Png(30, 20));
        Assert.Equal(new ImageHeader(30, 20, "PNG", "image/png"), header);
    }

    [Fact]
    public void Decode_RejectsAnEmptyFile()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => new ImageDecoder().Decode([]));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsBytesThatAreNotAnImage()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => new ImageDecoder().Decode("this is a text file, not a picture"u8.ToArray()));
        Assert.Contains("not an image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsATruncatedImageWithAClearError()
    {
        var png = Png(200, 200);
        var ex = Assert.ThrowsAny<ImageRejectedException>(() => new ImageDecoder().Decode(png[..(png.Length / 3)]));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Decode_RejectsAFileOverTheByteLimit()
    {
        var decoder = new ImageDecoder(new ImageLimits { MaxFileBytes = 100 });
        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode(Png(64, 64)));
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsTooManyPixelsBeforeAllocatingThem()
    {
        // A real PNG header that claims 50 000 × 50 000 pixels: refused from the header alone.
        var png = Png(1, 1);
        png[16] = 0; png[17] = 0; png[18] = 0xC3; png[19] = 0x50; // width 50 000
        png[20] = 0; png[21] = 0; png[22] = 0xC3; png[23] = 0x50; // height 50 000
        var crc = Crc32(png.AsSpan(12, 17));                        // IHDR type + data
        png[29] = (byte)(crc >> 24); png[30] = (byte)(crc >> 16); png[31] = (byte)(crc >> 8); png[32] = (byte)crc;
        var decoder = new ImageDecoder(new ImageLimits { MaxPixels = 10_000_000, MaxSide = 100_000 });

        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Identify(png));

        Assert.Contains("50000×50000", ex.Message, StringComparison.Ordinal);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    [Fact]
    public void Decode_TakesOnlyTheFirstFrameOfAnAnimation()
    {
        using var animation = new Image<Rgba32>(8, 8, new Rgba32(255, 0, 0));
        using (var second = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 255)))
        {
            animation.Frames.AddFrame(second.Frames.RootFrame);
        }

        using var buffer = new MemoryStream();
        animation.Save(buffer, new GifEncoder());

        using var decoded = new ImageDecoder().Decode(buffer.ToArray());

        Assert.Equal(1, decoded.Frames.Count);
        Assert.True(decoded[4, 4].R > 200);
    }

    [Fact]
    public void WebpFrameCount_CountsAnimationFrames()
    {
        static byte[] Chunk(string fourCc, int size) =>
            [.. System.Text.Encoding.ASCII.GetBytes(fourCc), .. BitConverter.GetBytes(size), .. new byte[size]];
        byte[] riff = [.. "RIFF"u8.ToArray(), 0, 0, 0, 0, .. "WEBP"u8.ToArray(), .. Chunk("VP8X", 10), .. Chunk("ANIM", 6), .. Chunk("ANMF", 16), .. Chunk("ANMF", 16), .. Chunk("ANMF", 17)];
        Assert.Equal(3, ImageDecoder.WebpFrameCount(riff));
    }
}
