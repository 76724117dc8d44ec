using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// The smaller things a new visitor tripped over: where "Find similar" starts, choosing a studio style
/// without knowing ids, a failed registration, select boxes, the GAN page's wording, following an artist.
/// </summary>
[Collection(SharedGalleryServer.Name)]
public sealed class RoughEdgesBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output)
{
    [Fact]
    public async Task FindSimilar_StartsFromAWorkFoundByStyle_OrFromAnUpload()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/similar");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("similar-upload")).ToHaveAttributeAsync("href", "/search/photo");
        var picks = page.GetByTestId("similar-start").GetByTestId("work-pick");
        await Assertions.Expect(picks.First).ToBeVisibleAsync();

        await page.GetByTestId("similar-start").Locator("input").FillAsync("Op Art");
        await Assertions.Expect(picks.First).ToContainTextAsync("Op Art");
        Assert.All(await picks.AllInnerTextsAsync(), text => Assert.Contains("Op Art", text, StringComparison.Ordinal));
        Assert.NotNull(await picks.First.Locator("img").GetAttributeAsync("src"));
        var id = await picks.First.GetAttributeAsync("data-artwork-id");
        await picks.First.ClickAsync();
        // Polled, not awaited as a navigation: NavigateTo pushes the address in place (no load event to wait for).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/similar/{id}$"));
        await Assertions.Expect(page.GetByTestId("query-work")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Paging_StartsTheNewPageAtItsTop_AndBackFromAWork_ReturnsToTheSameSpot()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse?sort=title");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);

        // The pager sits below the grid: a reader who pages has scrolled down to it.
        var pager = page.Locator(".mud-pagination");
        await pager.ScrollIntoViewIfNeededAsync();
        Assert.True(await page.EvaluateAsync<double>("window.scrollY") > 300, "the pager should be below the first screen");
        var grid = page.GetByTestId("artwork-grid");
        var firstOfPageOne = await grid.Locator("a").First.GetAttributeAsync("href");
        await pager.GetByText("2", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("page=2"));
        // Page two's cards replace page one's (their elements go): act on them only once they are there.
        await Assertions.Expect(grid.Locator("a").First).Not.ToHaveAttributeAsync("href", firstOfPageOne!);
        await WaitForScrollAsync(page, y => y < 10);

        // Down to the last row, open a work there, come back: the same spot, not the top.
        var card = grid.Locator("a").Last;
        await card.ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("window.scrollBy(0, 40)");
        await page.WaitForTimeoutAsync(200); // the position is saved on the next animation frame
        var before = await page.EvaluateAsync<double>("window.scrollY");
        Assert.True(before > 300, $"scrolled only {before} px");
        var href = await card.GetAttributeAsync("href");
        await card.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"{href}$"));
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();

        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("page=2"));
        await WaitForScrollAsync(page, y => Math.Abs(y - before) < 40);
        var afterRead = await page.EvaluateAsync<double>("window.scrollY");

        // Again, going back at once: the work's page may not have rendered yet, and the list renders after the address changes.
        await card.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"{href}$"));
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("page=2"));
        await Assertions.Expect(grid.Locator("a").Last).ToHaveAttributeAsync("href", href!);
        await WaitForScrollAsync(page, y => Math.Abs(y - before) < 40);
        await page.WaitForTimeoutAsync(1000); // and it stays there once the list has rendered
        var afterQuick = await page.EvaluateAsync<double>("window.scrollY");
        Assert.True(Math.Abs(afterQuick - before) < 40, $"back at once: scrollY {afterQuick} (was {before})");
        Output.WriteLine($"paging: new page at scrollY < 10; back from a work: scrollY {afterRead}, back at once: {afterQuick} (was {before})");
    }

    [Fact]
    public async Task StudioStylePicker_FindsWorksByArtistOrStyle_WithThumbnails()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/studio");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var picker = page.GetByTestId("studio-add-work");
        await Assertions.Expect(picker.Locator("input[type=number]")).ToHaveCountAsync(0);

        await picker.Locator("input").FillAsync("Pointillism");
        var picks = picker.GetByTestId("work-pick");
        await Assertions.Expect(picks.First).ToContainTextAsync("Pointillism");
        var title = await picks.First.Locator(".work-pick-title").InnerTextAsync();
        await picks.First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("studio-style")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("studio-style").First).ToContainTextAsync(title);
        Assert.NotNull(await page.GetByTestId("studio-style").First.Locator("img").GetAttributeAsync("src"));
    }

    [Fact]
    public async Task FailedRegistration_KeepsTheEmailTyped()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/register");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.Locator("#email").FillAsync("keeps-my-email@example.test");
        await page.Locator("#password").FillAsync("Abcdefgh123");
        await page.Locator("#confirm").FillAsync("Abcdefgh124");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("account-error")).ToContainTextAsync("differ");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#email")).ToHaveValueAsync("keeps-my-email@example.test");
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task SelectBoxes_ShowTheirWholeValue(int width, int height)
    {
        var page = await NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/browse?sort=YearAscending");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GotoAsync("/browse");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var cut = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('.mud-select .mud-input-slot')]
              .filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => (e.value ?? e.textContent) + ' ' + e.scrollWidth + '>' + e.clientWidth)
            """);
        Assert.True(cut.Length == 0, "cut off: " + string.Join("; ", cut));
        Assert.Contains("Newest added", await page.Locator(".mud-select").Last.EvaluateAsync<string>("e => [...e.querySelectorAll('input,.mud-input-slot')].map(i => i.value ?? i.textContent).join('|')"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GanPage_SaysWhereItRuns_InWords()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/studio/gan");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var runsOn = page.GetByTestId("gan-runs-on");
        await Assertions.Expect(runsOn).ToContainTextAsync("processor");
        Assert.DoesNotContain("ExecutionProvider", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArtistPage_FollowButton_FollowsTheArtist_AsYourLikesShows()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/artists/1");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var name = await page.Locator("h1").InnerTextAsync();
        var follow = page.GetByTestId("artist-follow-button");
        await Assertions.Expect(follow).ToBeEnabledAsync();
        await follow.ClickAsync();
        await Assertions.Expect(follow).ToHaveAttributeAsync("aria-pressed", "true");

        await page.GotoAsync("/me/likes");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Polls the scroll position through the debugging protocol (<c>EvaluateAsync</c>): the app's CSP has no
    /// 'unsafe-eval', and <c>WaitForFunctionAsync</c> with a string can fall foul of it.
    /// </summary>
    private static async Task WaitForScrollAsync(IPage page, Func<double, bool> done)
    {
        var y = double.NaN;
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            y = await page.EvaluateAsync<double>("window.scrollY");
            if (done(y))
            {
                return;
            }
        }

        Assert.Fail($"the page stayed at scrollY {y}");
    }
}
