using ArtGallery.Core.Gallery;
using ArtGallery.Core.Health;

namespace ArtGallery.IntegrationTests;

public sealed class GalleryQueryTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private GalleryService Gallery => fixture.Services.GetRequiredService<GalleryService>();

    [Fact]
    public async Task Browse_PagesThroughEveryWork()
    {
        var first = await Gallery.BrowseAsync(new ArtworkQuery { PageSize = 48 });
        Assert.Equal(TestDatabase.DemoCount, first.Total);
        Assert.Equal(13, first.PageCount);
        var last = await Gallery.BrowseAsync(new ArtworkQuery { PageSize = 48, Page = 13 });
        Assert.Equal(TestDatabase.DemoCount - (12 * 48), last.Items.Count);
        Assert.Empty(first.Items.Select(c => c.Id).Intersect(last.Items.Select(c => c.Id)));
    }

    [Fact]
    public async Task Browse_FiltersByStyleArtistYearAndText()
    {
        var facets = await Gallery.GetFacetsAsync();
        Assert.Equal(10, facets.Styles.Count);
        var style = facets.Styles.Single(s => s.Label == "Generated Mosaic");
        var byStyle = await Gallery.BrowseAsync(new ArtworkQuery { Style = style.Value, PageSize = 96 });
        Assert.Equal(60, byStyle.Total);
        Assert.All(byStyle.Items, c => Assert.Equal("Generated Mosaic", c.Style));

        var artist = facets.Artists[0];
        var byArtist = await Gallery.BrowseAsync(new ArtworkQuery { ArtistId = int.Parse(artist.Value, System.Globalization.CultureInfo.InvariantCulture), PageSize = 96 });
        Assert.Equal(artist.Count, byArtist.Total);

        var byYears = await Gallery.BrowseAsync(new ArtworkQuery { YearFrom = 1950, YearTo = 1960, PageSize = 96 });
        Assert.True(byYears.Total > 0);
        Assert.All(byYears.Items, c => Assert.InRange(c.Year!.Value, 1950, 1960));

        var anyTitle = byStyle.Items[0].Title.Split(' ')[0];
        var byText = await Gallery.BrowseAsync(new ArtworkQuery { Text = anyTitle, PageSize = 96 });
        Assert.Contains(byText.Items, c => c.Title.Contains(anyTitle, StringComparison.OrdinalIgnoreCase));

        var nothing = await Gallery.BrowseAsync(new ArtworkQuery { Text = "no work has this title zqxj" });
        Assert.Equal(0, nothing.Total);
    }

    [Fact]
    public async Task Artwork_CarriesItsTagsPaletteAndCollections()
    {
        var card = (await Gallery.BrowseAsync(new ArtworkQuery { PageSize = 1 })).Items[0];
        var detail = await Gallery.GetArtworkAsync(card.Id);
        Assert.NotNull(detail);
        Assert.True(detail.IsGenerated);
        Assert.Contains(detail.Tags, t => t.Vocabulary == "Style" && t.Source == "Curator");
        Assert.Contains(detail.Tags, t => t.Vocabulary == "Subject");
        Assert.NotEmpty(detail.Palette);
        Assert.Single(detail.Collections);
        Assert.NotNull(detail.EncoderVersion);
        Assert.Null(await Gallery.GetArtworkAsync(-1));
    }

    [Fact]
    public async Task Health_ReportsDatabaseExtensionEncoderAndCounts()
    {
        var report = await fixture.Services.GetRequiredService<GalleryHealth>().CheckAsync();
        Assert.Equal("Healthy", report.Status);
        Assert.False(string.IsNullOrEmpty(report.VectorExtension));
        Assert.Equal("CPUExecutionProvider", report.ExecutionProvider);
        Assert.Equal(TestDatabase.DemoCount, report.Artworks);
        Assert.Equal(TestDatabase.DemoCount, report.Embedded);
    }
}
