using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>The literature studio in headless Chromium against the real app and the shipped poem model.</summary>
[Collection(SharedGalleryServer.Name)]
public sealed class PoemBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output)
{
    [Fact]
    public async Task Visitor_WritesAPoemForAnArtwork_SeesAWordFromTheWork_SavesIt_AndFindsItInMyCreations()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("artwork-grid").Locator("a").First.ClickAsync();
        await page.WaitForURLAsync("**/artworks/*");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var workPath = new Uri(page.Url).AbsolutePath;

        var section = page.GetByTestId("poem-for-artwork");
        var chips = await section.GetByTestId("poem-work-keywords").InnerTextAsync();
        await section.GetByTestId("poem-write").ClickAsync();
        var poem = section.GetByTestId("poem");
        await Assertions.Expect(poem).ToBeVisibleAsync();
        Assert.Equal(12, await poem.Locator(".poem-line").CountAsync());

        // At least one highlighted word, and every highlighted word is one of the work's keywords (or its plural).
        var marks = await poem.GetByTestId("poem-keyword").AllInnerTextsAsync();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.Contains(m.ToLowerInvariant().TrimEnd('s'), chips.ToLowerInvariant(), StringComparison.Ordinal));
        var firstLine = await poem.Locator(".poem-line").First.InnerTextAsync();

        await section.GetByTestId("poem-save").ClickAsync();
        await Assertions.Expect(section.GetByTestId("poem-saved")).ToBeVisibleAsync();

        await page.GotoAsync("/studio/creations");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var kept = page.GetByTestId("poem-creation").First;
        await Assertions.Expect(kept).ToContainTextAsync(firstLine);
        Assert.Equal(workPath, await kept.GetByTestId("poem-creation-work").GetAttributeAsync("href"));
    }
}
