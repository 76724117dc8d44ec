using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>A person in headless Chromium (Debian's build) using the real app.</summary>
[Collection(SharedGalleryServer.Name)]
public sealed class GalleryBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output)
{
    [Fact]
    public async Task Visitor_OpensTheHomePage_OpensAWork_AndSeesItsSimilarWorksWithScores()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("collection-size")).ToContainTextAsync("600 works");

        var firstCard = page.GetByTestId("artwork-grid").Locator("a").First;
        var alt = await firstCard.Locator("img").GetAttributeAsync("alt");
        Assert.False(string.IsNullOrWhiteSpace(alt));
        await firstCard.ClickAsync();

        await page.WaitForURLAsync("**/artworks/*");
        await Assertions.Expect(page.GetByTestId("artwork-title")).ToBeVisibleAsync();
        Assert.StartsWith(await page.GetByTestId("artwork-title").InnerTextAsync(), alt, StringComparison.Ordinal);

        foreach (var strip in new[] { "similar-style", "similar-content" })
        {
            var scores = page.GetByTestId(strip).GetByTestId("match-score");
            await Assertions.Expect(scores).ToHaveCountAsync(12);
            var first = await scores.First.InnerTextAsync();
            Assert.Matches(@"^\d{1,3}% match$", first);
        }

        // The large image loads and the zoom control answers.
        var frame = page.GetByTestId("zoom-frame");
        await Assertions.Expect(frame.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        await frame.GetByLabel("Zoom in").ClickAsync();
        await Assertions.Expect(frame).ToHaveAttributeAsync("data-zoom", "1.25");
    }

    [Fact]
    public async Task Visitor_FiltersTheBrowsePageByStyle()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse?style=generated-mosaic");
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("60 works");
        await Assertions.Expect(page.GetByTestId("artwork-grid").Locator("img")).ToHaveCountAsync(24);
    }

    [Fact]
    public async Task Visitor_ClickingALinkWhileTheCircuitStarts_GetsThePageTheLinkNames()
    {
        // A slow link, held still: the circuit's socket is open but nothing it sends reaches the page
        // until the visitor has clicked a link on the prerendered page; then it all arrives at once.
        var page = await NewPageAsync();
        var released = new TaskCompletionSource();
        await page.RouteWebSocketAsync("**/_blazor?id=*", browserSide =>
        {
            var serverSide = browserSide.ConnectToServer();
            browserSide.OnMessage(frame => Forward(frame, serverSide));
            serverSide.OnMessage(frame => released.Task.ContinueWith(_ => Forward(frame, browserSide), TaskScheduler.Default));
        });
        await page.GotoAsync("/");
        var firstCard = page.GetByTestId("artwork-grid").Locator("a").First;
        var alt = await firstCard.Locator("img").GetAttributeAsync("alt");
        await firstCard.ClickAsync();
        await page.WaitForURLAsync("**/artworks/*");
        released.SetResult();

        // Enhanced navigation, then the circuit, bring up the page the address names, not the one the click left.
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("artwork-title")).ToBeVisibleAsync();
        Assert.StartsWith(await page.GetByTestId("artwork-title").InnerTextAsync(), alt, StringComparison.Ordinal);
        Assert.Empty(await page.GetByTestId("collection-size").AllAsync());
    }

    private static void Forward(IWebSocketFrame frame, IWebSocketRoute to)
    {
        if (frame.Binary is { } bytes)
        {
            to.Send(bytes);
        }
        else
        {
            to.Send(frame.Text ?? string.Empty);
        }
    }
}
