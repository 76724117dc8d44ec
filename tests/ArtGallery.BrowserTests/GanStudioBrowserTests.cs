using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>A visitor in the GAN studio, in headless Chromium against the real app and the shipped generator.</summary>
[Collection(SharedGalleryServer.Name)]
public sealed class GanStudioBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output)
{
    [Fact]
    public async Task Visitor_GeneratesAGrid_PicksTwo_AndMorphsBetweenThem()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/studio/gan");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);

        await page.Locator("#gan-seeds").FillAsync("1-8");
        await page.GetByTestId("gan-generate").ClickAsync();
        var pictures = page.GetByTestId("gan-grid").GetByTestId("gan-picture");
        await Assertions.Expect(pictures).ToHaveCountAsync(8);
        var first = await pictures.First.Locator("img").GetAttributeAsync("src");
        Assert.StartsWith("data:image/png;base64,", first, StringComparison.Ordinal);
        Assert.Equal("Generated picture, Seed 1", await pictures.First.Locator("img").GetAttributeAsync("alt"));

        // The same seed paints the same picture: ask again in another order.
        await page.Locator("#gan-seeds").FillAsync("3, 1");
        await page.GetByTestId("gan-generate").ClickAsync();
        await Assertions.Expect(pictures).ToHaveCountAsync(2);
        Assert.Equal(first, await pictures.Nth(1).Locator("img").GetAttributeAsync("src"));

        await pictures.Nth(0).ClickAsync();
        await pictures.Nth(1).ClickAsync();
        await Assertions.Expect(page.GetByTestId("gan-pick-labels")).ToContainTextAsync("A: Seed 3 · B: Seed 1");
        await page.GetByTestId("gan-morph").ClickAsync();

        var frames = page.GetByTestId("gan-morph-strip").Locator("img");
        await Assertions.Expect(frames).ToHaveCountAsync(8);
        var sources = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 8; i++)
        {
            sources.Add(await frames.Nth(i).GetAttributeAsync("src") ?? string.Empty);
        }

        // A morph that moves: distinct frames, the last one seed 1's own picture.
        Assert.True(sources.Count >= 6, $"only {sources.Count} distinct frames");
        Assert.Equal(first, await frames.Nth(7).GetAttributeAsync("src"));
        await Assertions.Expect(page.GetByTestId("gan-morph-view")).ToBeVisibleAsync();

        // Upscale A for display: the 512-px picture arrives in the page and decodes at that size.
        await page.GetByTestId("gan-upscale").ClickAsync();
        var large = page.GetByTestId("gan-large");
        await Assertions.Expect(large).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=gan-large]'); return i && i.complete && i.naturalWidth === 512; }",
            null, new() { Timeout = 30_000 });
        Assert.StartsWith("blob:", await page.GetByTestId("gan-download").GetAttributeAsync("href"), StringComparison.Ordinal);

        // Keep pick A (saved upscaled): it is listed under My creations for this visitor.
        await page.GetByTestId("gan-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("gan-saved")).ToBeVisibleAsync();
        await page.GotoAsync("/studio/creations");
        await Assertions.Expect(page.GetByTestId("creation")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("creation")).ToContainTextAsync("Seed 3");
    }

    [Fact]
    public async Task Visitor_AsksForAnInvalidSeed_AndIsToldWhy()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/studio/gan");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);

        await page.Locator("#gan-seeds").FillAsync("1, banana");
        await page.GetByTestId("gan-generate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("gan-error")).ToContainTextAsync("'banana' is not a seed");
        await Assertions.Expect(page.GetByTestId("gan-grid")).ToHaveCountAsync(0);
    }
}
