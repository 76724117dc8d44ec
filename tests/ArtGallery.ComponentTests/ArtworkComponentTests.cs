using ArtGallery.Core.Gallery;
using ArtGallery.Testing;
using ArtGallery.Web.Features.Gallery;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ArtGallery.ComponentTests;

public sealed class ArtworkComponentTests(DemoDatabaseFixture fixture) : BunitContext, IClassFixture<DemoDatabaseFixture>
{
    private void UseGallery()
    {
        Services.AddMudServices();
        Services.AddSingleton(fixture.Services.GetRequiredService<GalleryService>());
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Card_LinksToTheWork_WithAltTextAndAFormattedScore()
    {
        UseGallery();
        var card = new ArtworkCard(7, "Hills at Dusk", 3, "Ilse Vermeulen", 1912, new string('a', 64), 640, 480, "Generated Swirl");

        var cut = Render<ArtworkCardView>(p => p.Add(c => c.Card, card).Add(c => c.Score, 0.91234));

        var link = cut.Find("a");
        Assert.Equal("/artworks/7", link.GetAttribute("href"));
        Assert.Equal("Hills at Dusk by Ilse Vermeulen, 1912", cut.Find("img").GetAttribute("alt"));
        Assert.Equal("similarity 0.912", cut.Find("[data-testid=similarity-score]").TextContent.Trim());
    }

    [Fact]
    public async Task SimilarStrip_ShowsTwelveNeighboursFromTheDatabase_BestFirst()
    {
        UseGallery();
        var gallery = fixture.Services.GetRequiredService<GalleryService>();
        var work = (await gallery.BrowseAsync(new ArtworkQuery { PageSize = 1 })).Items[0];

        var cut = Render<SimilarStrip>(p => p.Add(c => c.ArtworkId, work.Id).Add(c => c.Kind, SimilarityKind.Style));

        // Scores on the collection's own scale ("83% match"), the raw cosine in the tooltip.
        cut.WaitForAssertion(() => Assert.Equal(12, cut.FindAll("[data-testid=match-score]").Count), TimeSpan.FromSeconds(10));
        var scores = cut.FindAll("[data-testid=match-score]").Select(e => int.Parse(e.TextContent.Trim().Split('%')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scores, s => Assert.InRange(s, 0, 100));
        Assert.All(cut.FindAll("[data-testid=match-score]"), e => Assert.Matches(@"cosine similarity [01]\.\d{3}", e.GetAttribute("title")));
        Assert.DoesNotContain(cut.FindAll("a"), a => a.GetAttribute("href") == $"/artworks/{work.Id}");
    }

    [Fact]
    public void SimilarStrip_ExplainsWhenAWorkHasNoEmbeddingYet()
    {
        UseGallery();
        var cut = Render<SimilarStrip>(p => p.Add(c => c.ArtworkId, -5).Add(c => c.Kind, SimilarityKind.Content));
        cut.WaitForAssertion(() => Assert.Contains("has not been embedded yet", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}
