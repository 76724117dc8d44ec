using Microsoft.Playwright;

namespace ArtGallery.BrowserTests;

/// <summary>A person in headless Chromium (Debian's build) using the real app.</summary>
public sealed class GalleryBrowserTests(GalleryServer server) : IClassFixture<GalleryServer>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    [Fact]
    public async Task Visitor_OpensTheHomePage_OpensAWork_AndSeesItsSimilarWorksWithScores()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
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
            var scores = page.GetByTestId(strip).GetByTestId("similarity-score");
            await Assertions.Expect(scores).ToHaveCountAsync(12);
            var first = await scores.First.InnerTextAsync();
            Assert.Matches(@"similarity [01]\.\d{3}", first);
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
}
