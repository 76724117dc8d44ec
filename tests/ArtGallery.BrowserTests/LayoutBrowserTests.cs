using ArtGallery.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// Every page at a phone's width (390 × 844) and a laptop's (1280 × 900), for each kind of person:
/// nothing scrolls sideways, even with a 300-character unbroken title in the data, and every
/// destination of the app bar or its menu drawer can be reached by clicking. A screenshot of each
/// page that overflows goes to <c>screenshots/</c> beside the test assembly (of every page with
/// <c>AG_LAYOUT_SCREENSHOTS=all</c>), for a person to look at after the run. The pages are visited once per person and width for this test and the accessibility test
/// together (<see cref="LayoutVisits"/>).
/// </summary>
[Collection(LayoutGalleryServer.Collection)]
public sealed class LayoutBrowserTests(LayoutGalleryServer server, ITestOutputHelper output)
    : BrowserTest<LayoutGalleryServer>(server, output)
{
    private const int Desktop = 1280;

    [Theory]
    [InlineData("anonymous", 390, 844)]
    [InlineData("anonymous", Desktop, 900)]
    [InlineData(LayoutGalleryServer.VisitorEmail, 390, 844)]
    [InlineData(LayoutGalleryServer.VisitorEmail, Desktop, 900)]
    [InlineData(LayoutGalleryServer.CuratorEmail, 390, 844)]
    [InlineData(LayoutGalleryServer.CuratorEmail, Desktop, 900)]
    [InlineData(LayoutGalleryServer.AdminEmail, 390, 844)]
    [InlineData(LayoutGalleryServer.AdminEmail, Desktop, 900)]
    public async Task EveryPage_FitsTheWidth_AndEveryDestinationIsReachable(string who, int width, int height)
    {
        var page = await NewPageAsync();
        var signedIn = who != "anonymous";
        if (signedIn)
        {
            await SignInAsync(page, who);
        }

        var visits = await Server.Visits.VisitAsync(page, who, width, height, Server.LongTitleWorkId);
        var overflowing = visits
            .Where(v => v.ScrollWidth > v.InnerWidth)
            .Select(v => FormattableString.Invariant($"{v.Path}: scrollWidth {v.ScrollWidth} > innerWidth {v.InnerWidth}"))
            .ToList();
        Assert.True(overflowing.Count == 0, string.Join("; ", overflowing) + "; their screenshots are in " + LayoutVisits.ScreenshotFolder(who, width));

        // The app bar's check reads the last page visited: open it here where the accessibility test made the visits.
        var last = visits[^1].Path;
        if (new Uri(page.Url).PathAndQuery != last)
        {
            await LayoutVisits.OpenAsync(page, last);
        }

        // The app bar stays one row: no visible link, button or name in it wraps onto a second line
        // (one line of them is 32–36 px high) or is squeezed out of the window.
        var wrapped = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('header a, header button:not(.mud-icon-button), header [data-testid=signed-in-as]')]
              .filter(e => e.offsetParent !== null)
              .filter(e => { const r = e.getBoundingClientRect(); return r.height > 40 || r.right > window.innerWidth; })
              .map(e => e.textContent.trim())
            """);
        Assert.True(wrapped.Length == 0, "wrapped or cut off in the app bar: " + string.Join(", ", wrapped));

        foreach (var (href, label) in Destinations(who))
        {
            await page.GotoAsync("/");
            await HeadlessChromium.WaitUntilInteractiveAsync(page);
            var link = width < Desktop ? await OpenDrawerAsync(page, label) : await AppBarLinkAsync(page, label);
            await Assertions.Expect(link).ToBeInViewportAsync();
            await link.ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == href);
        }
    }

    [Fact]
    public async Task Drawer_ClosesAfterChoosingADestination()
    {
        var page = await NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main", Exact = true })).ToBeHiddenAsync();

        var link = await OpenDrawerAsync(page, "Artists");
        await link.ClickAsync();
        await page.WaitForURLAsync("**/artists");
        await Assertions.Expect(page.GetByTestId("nav-drawer")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task KeyboardUser_TabsToACard_SeesFocus_OpensIt_ZoomsPansAndLeavesTheViewer()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var firstCardLink = page.GetByTestId("artwork-grid").Locator("a").First;
        for (var presses = 0; presses < 60 && !await firstCardLink.EvaluateAsync<bool>("a => document.activeElement === a"); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        // The focused card draws a visible outline (3 px, not "none").
        var outline = await firstCardLink.EvaluateAsync<string>("a => { const s = getComputedStyle(a.closest('.art-card')); return s.outlineStyle + ' ' + s.outlineWidth; }");
        Assert.Equal("solid 3px", outline);

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/artworks/*");
        var frame = page.GetByTestId("zoom-frame");
        await Assertions.Expect(frame).ToHaveAttributeAsync("data-zoom", "1.00");
        await frame.FocusAsync();
        var ring = await frame.EvaluateAsync<string>("f => getComputedStyle(f).outlineStyle");
        Assert.Equal("solid", ring);

        await page.Keyboard.PressAsync("+");
        await Assertions.Expect(frame).ToHaveAttributeAsync("data-zoom", "1.25");
        for (var i = 0; i < 4; i++)
        {
            await page.Keyboard.PressAsync("+");
        }

        // At about 3× the picture overflows the frame both ways; arrows move it, whichever way it is longer.
        await Assertions.Expect(frame).ToHaveAttributeAsync("data-zoom", "3.05");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(frame).ToHaveAttributeAsync("data-pan", new System.Text.RegularExpressions.Regex(@"^-?\d+,-?\d+$"));
        var before = await frame.GetAttributeAsync("data-pan");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("ArrowUp");
        await Assertions.Expect(frame).Not.ToHaveAttributeAsync("data-pan", before!);

        await page.Keyboard.PressAsync("Escape");
        Assert.False(await frame.EvaluateAsync<bool>("f => document.activeElement === f"));
    }

    [Fact]
    public async Task UnknownAddresses_Answer404_WithTheAppsNotFoundPageAndLinksOnward()
    {
        var page = await NewPageAsync();
        foreach (var address in new[] { "/similar/abc", "/artworks/abc", "/no/such/page", "/artworks/999999", "/artists/99999", "/collections/nope" })
        {
            var response = await page.GotoAsync(address);
            Assert.True(response!.Status == 404, $"{address}: {response.Status}");
            await Assertions.Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();

            // In the app's chrome (its app bar), with a way on.
            await Assertions.Expect(page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "ArtGallery", Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Browse the collection" })).ToBeVisibleAsync();
        }
    }

    /// <summary>Every page <paramref name="who"/> can open, with <paramref name="id"/> the long-title work.</summary>
    internal static IEnumerable<string> Pages(string who, int id)
    {
        string[] everyone =
        [
            "/", "/browse", "/browse?sort=Title", "/artists", "/artists/1", "/collections", "/similar",
            FormattableString.Invariant($"/similar/{id}"), FormattableString.Invariant($"/artworks/{id}"),
            "/search/photo", "/studio", "/studio/gan", "/studio/melody", "/studio/creations", "/me/likes", "/market",
        ];
        foreach (var path in everyone)
        {
            yield return path;
        }

        if (who == "anonymous")
        {
            yield return "/account/signin";
            yield return "/account/register";
            yield break;
        }

        yield return "/curate/collections";
        if (who is LayoutGalleryServer.CuratorEmail or LayoutGalleryServer.AdminEmail)
        {
            yield return "/curate/review";
            yield return "/curate/import";
        }

        if (who == LayoutGalleryServer.AdminEmail)
        {
            yield return "/admin/roles";
        }
    }

    private static IEnumerable<(string Href, string Label)> Destinations(string who)
    {
        foreach (var destination in ArtGallery.Web.Components.Layout.MainLayout.Destinations)
        {
            yield return destination;
        }

        switch (who)
        {
            case "anonymous":
                yield return ("/account/signin", "Sign in");
                yield return ("/account/register", "Register");
                break;
            case LayoutGalleryServer.VisitorEmail:
                yield return ("/curate/collections", "My collections");
                break;
            default:
                yield return ("/curate/import", "Import");
                yield return ("/curate/review", "Review");
                yield return ("/curate/collections", "Edit collections");
                if (who == LayoutGalleryServer.AdminEmail)
                {
                    yield return ("/admin/roles", "Roles");
                }

                break;
        }
    }

    private static async Task<ILocator> OpenDrawerAsync(IPage page, string label)
    {
        await page.GetByTestId("nav-toggle").ClickAsync();
        var drawer = page.GetByTestId("nav-drawer");
        await Assertions.Expect(drawer).ToBeVisibleAsync();
        return drawer.GetByRole(AriaRole.Link, new() { Name = label, Exact = true });
    }

    private static async Task<ILocator> AppBarLinkAsync(IPage page, string label)
    {
        var inBar = page.Locator("header").GetByRole(AriaRole.Link, new() { Name = label, Exact = true });
        if (await inBar.CountAsync() > 0)
        {
            return inBar;
        }

        // A curator's own pages sit in the app bar's Curate menu.
        await page.GetByTestId("curate-menu").GetByRole(AriaRole.Button).ClickAsync();
        return page.GetByRole(AriaRole.Menuitem, new() { Name = label, Exact = true })
            .Or(page.Locator(".mud-popover-open").GetByRole(AriaRole.Link, new() { Name = label, Exact = true })).First;
    }

    internal static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/signin");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }
}
