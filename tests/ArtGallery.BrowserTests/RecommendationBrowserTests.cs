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
    [Fact]
    public async Task NotInterested_IsLabelled_UndoesFromTheSnackbar_AndIsRestoredFromYourLikes()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse?style=generated-op-art");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var liked = await page.GetByTestId("artwork-grid").Locator("a").First.GetAttributeAsync("href");
        await page.GotoAsync(liked!);
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("like-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("like-button")).ToHaveAttributeAsync("aria-pressed", "true");
        var likedTitle = await page.GetByTestId("artwork-title").InnerTextAsync();

        await page.GotoAsync("/");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var cards = page.GetByTestId("feed-card");
        await Assertions.Expect(cards.First).ToBeVisibleAsync();

        // One like is evidence for "because you liked …" (or, when another visitor of this class's server liked
        // the same work, "people who liked …"), never for a favourite style.
        var reasons = await page.GetByTestId("feed-why").AllInnerTextsAsync();
        Assert.Contains($"liked “{likedTitle}”", reasons[0], StringComparison.Ordinal);
        Assert.DoesNotContain(reasons, r => r.Contains("often", StringComparison.Ordinal));

        // The button says what it does; the snackbar offers Undo, away from the app bar.
        var first = cards.First;
        var id = await first.GetAttributeAsync("data-artwork-id");
        var dismiss = first.GetByTestId("feed-dismiss");
        await Assertions.Expect(dismiss).ToHaveTextAsync("Not interested");
        await dismiss.ClickAsync();
        var snackbar = page.Locator(".mud-snackbar");
        await Assertions.Expect(snackbar).ToContainTextAsync("will not be shown in your feed");
        await Assertions.Expect(page.Locator($"[data-testid=feed-card][data-artwork-id='{id}']")).ToHaveCountAsync(0);
        var bar = await page.Locator("header").BoundingBoxAsync();
        var toast = await snackbar.BoundingBoxAsync();
        Assert.True(toast!.Y >= bar!.Y + bar.Height, $"snackbar at y {toast.Y}, app bar ends at {bar.Y + bar.Height}");
        await snackbar.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();

        await page.GotoAsync("/me/likes");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("dismissed-card")).ToHaveCountAsync(0);

        // Dismissed again from the work's page, then restored from Your likes.
        await page.GotoAsync($"/artworks/{id}");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("dismiss-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dismiss-button")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.GotoAsync("/me/likes");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("dismissed-card")).ToHaveCountAsync(1);
        await page.GetByTestId("restore-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dismissed-card")).ToHaveCountAsync(0);
        await page.GotoAsync($"/artworks/{id}");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("dismiss-button")).ToHaveAttributeAsync("aria-pressed", "false");
    }
}
