using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Core;

public class SlugAndPaletteTests
{
    [Theory]
    [InlineData("Grünwald, Ilse", "grunwald-ilse")]
    [InlineData("  Generated Op Art  ", "generated-op-art")]
    [InlineData("!!!", "untitled")]
    public void Slug_IsLowercaseAsciiJoinedByDashes(string text, string expected) => Assert.Equal(expected, Slug.From(text));

    [Fact]
    public void TitleFromFileName_DropsTheArtistPrefix()
    {
        Assert.Equal("The Starry Night", ImportPaths.TitleFromFileName("Post_Impressionism/vincent-van-gogh_the-starry-night.jpg"));
    }

    [Fact]
    public void Palette_FindsTheDominantColoursInOrder()
    {
        using var image = new Image<Rgb24>(100, 100, new Rgb24(200, 30, 30));
        for (var x = 0; x < 30; x++)
        {
            for (var y = 0; y < 100; y++)
            {
                image[x, y] = new Rgb24(20, 40, 220);
            }
        }

        var palette = PaletteExtractor.Extract(image);

        Assert.Equal(2, palette.Count);
        Assert.Equal("#c81e1e", palette[0]);
        Assert.Equal("#1428dc", palette[1]);
    }

    [Fact]
    public void ImageStore_AcceptsOnlyLowercaseHexSha256()
    {
        Assert.True(ImageStore.IsSha256(new string('a', 64)));
        Assert.False(ImageStore.IsSha256(new string('A', 64)));
        Assert.False(ImageStore.IsSha256("../../etc/passwd"));
    }
}
