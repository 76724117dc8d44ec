using ArtGallery.Engines.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Engines;

public class DerivedImageTests
{
    [Theory]
    [InlineData(4000, 3000, 400, 400, 300)]
    [InlineData(3000, 4000, 400, 300, 400)]
    [InlineData(200, 100, 400, 200, 100)]
    public void Fit_ScalesTheLongSideDownButNeverUp(int w, int h, int longSide, int ew, int eh)
    {
        Assert.Equal(new Size(ew, eh), DerivedImage.Fit(w, h, longSide));
    }

    [Fact]
    public void ModelSize_HasShorterSide256()
    {
        Assert.Equal(new Size(341, 256), DerivedImage.TargetSize(640, 480, DerivedSize.Model));
    }

    [Fact]
    public void WriteJpeg_StripsExifFromTheDerivedImage()
    {
        using var source = new Image<Rgb24>(800, 600, new Rgb24(90, 120, 150));
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Artist, "secret author");
        source.Metadata.ExifProfile.SetValue(ExifTag.GPSLatitudeRef, "N");
        using var output = new MemoryStream();

        DerivedImage.WriteJpeg(source, DerivedSize.Thumb, output);

        using var derived = Image.Load<Rgb24>(output.ToArray());
        Assert.Equal((400, 300), (derived.Width, derived.Height));
        Assert.Null(derived.Metadata.ExifProfile);
        Assert.DoesNotContain("secret author", System.Text.Encoding.Latin1.GetString(output.ToArray()), StringComparison.Ordinal);
    }
}
