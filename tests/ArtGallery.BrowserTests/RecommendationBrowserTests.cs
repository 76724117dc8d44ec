using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>A new visitor's "For you" feed in headless Chromium: likes move it, and it stays varied.</summary>
public sealed class RecommendationBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output), IClassFixture<GalleryServer>
{
    [Fact]
    public async Task NewVisitor_LikesThreeWorksOfOneMovement_AndTheFeedLeadsWithItWhileShowingOthers()
    {
        // A fresh browser context: no cookie yet, so this is a brand-new anonymous visitor.
        var page = await NewPageAsync();
        await page.GotoAsync("/browse?style=generated-op-art");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var links = page.GetByTestId("artwork-grid").Locator("a");
        await Assertions.Expect(links).ToHaveCountAsync(24);
        var works = new List<string>();
        foreach (var index in new[] { 0, 7, 15 })
        {
            works.Add((await links.Nth(index).GetAttributeAsync("href"))!);
        }

        foreach (var href in works)
        {
            await page.GotoAsync(href);
            await HeadlessChromium.WaitUntilInteractiveAsync(page);
            var like = page.GetByTestId("like-button");
            await Assertions.Expect(like).ToBeEnabledAsync();
            await like.ClickAsync();
            await Assertions.Expect(like).ToHaveAttributeAsync("aria-pressed", "true");
        }

        await page.GotoAsync("/");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var cards = page.GetByTestId("feed-card");
        await Assertions.Expect(cards.First).ToBeVisibleAsync();
        var styles = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            styles.Add(await cards.Nth(i).GetAttributeAsync("data-style") ?? "");
        }

        Assert.Equal("Generated Op Art", styles[0]);
        Assert.Equal("Generated Op Art", styles.GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key);
        Assert.True(styles.Where(s => s != "Generated Op Art").Distinct().Count() >= 2, $"first 12 cards: {string.Join(", ", styles)}");

        // Each card says why it is there; the first names one of the liked works.
        var why = await page.GetByTestId("feed-why").First.InnerTextAsync();
        Assert.StartsWith("Because you liked", why, StringComparison.Ordinal);

        // The liked works are listed on the visitor's page, and none of them is recommended back.
        await page.GotoAsync("/me/likes");
        await Assertions.Expect(page.GetByTestId("liked-grid").Locator("a")).ToHaveCountAsync(3);
        var feedIds = new List<string>();
        await page.GotoAsync("/");
        await Assertions.Expect(cards.First).ToBeVisibleAsync();
        foreach (var card in await cards.AllAsync())
        {
            feedIds.Add("/artworks/" + await card.GetAttributeAsync("data-artwork-id"));
        }

        Assert.Empty(feedIds.Intersect(works));
    }
}
