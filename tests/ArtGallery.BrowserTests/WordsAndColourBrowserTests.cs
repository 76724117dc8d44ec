using ArtGallery.Core.Search;
using ArtGallery.Testing;
using Microsoft.Playwright;
using Npgsql;

namespace ArtGallery.BrowserTests;

/// <summary>Search by words from the app bar and search by colour, in the same app as the other search tests.</summary>
public sealed partial class SearchBrowserTests
{
    [Fact]
    public async Task Visitor_TypesADescriptionInTheAppBar_AndOpensAMatchingWork()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse");
        // Typed before the circuit starts, the words are lost when the interactive box replaces the
        // prerendered one (CI submitted "q="): type into the live box.
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var box = page.GetByTestId("app-search-input");
        await box.FillAsync("boats on the ocean after dark");
        await box.PressAsync("Enter");
        await page.WaitForURLAsync("**/search?q=*");

        var results = page.GetByTestId("word-results").GetByTestId("word-result");
        await Assertions.Expect(results).ToHaveCountAsync(24);
        await Assertions.Expect(results.First.GetByTestId("match-reasons")).ToContainTextAsync("meaning");
        await results.First.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync("**/artworks/*");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Seascape");
    }

    [Fact]
    public async Task Visitor_NarrowsAWordsSearchByAStyle_AndEveryResultCarriesThatStyle()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/search?q=boats+on+the+ocean+after+dark");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        var results = page.GetByTestId("word-results").GetByTestId("word-result");
        await Assertions.Expect(results).ToHaveCountAsync(24);
        var styles = await results.GetByTestId("result-style").AllTextContentsAsync();
        Assert.True(styles.Distinct().Count() > 1, "the unfiltered results already share one style");

        // The first result's style, picked from the filter bar's Style box as on the browse page.
        var style = styles[0].Trim();
        await page.GetByTestId("work-filters").Locator(".mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextString = style + " (" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/search\?q=boats.*&style=generated-"));
        await Assertions.Expect(page.GetByTestId("word-result-count")).ToContainTextAsync("(filtered)");

        await Assertions.Expect(results).ToHaveCountAsync(24);
        await Assertions.Expect(results.GetByTestId("result-style")).ToHaveTextAsync([.. Enumerable.Repeat(style, 24)]);

        // The filter is in the address, so the narrowed search survives a reload (and can be shared).
        await page.ReloadAsync();
        await Assertions.Expect(results.GetByTestId("result-style")).ToHaveTextAsync([.. Enumerable.Repeat(style, 24)]);
    }

    [Fact]
    public async Task WordsTypedBeforeTheCircuitConnects_SurviveIt()
    {
        // Hold the circuit's negotiation back until the visitor has typed into the prerendered box.
        var page = await NewPageAsync();
        var typed = new TaskCompletionSource();
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            await typed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await route.ContinueAsync();
        });
        await page.GotoAsync("/browse");
        var box = page.GetByTestId("app-search-input");
        await box.PressSequentiallyAsync("a stormy sea");
        Assert.Equal(0, await page.GetByTestId("interactive").CountAsync());
        typed.SetResult();

        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("app-search-input")).ToHaveValueAsync("a stormy sea");
        await page.GetByTestId("app-search-input").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/search\?q=a\+stormy\+sea"));
    }

    [Fact]
    public async Task Visitor_PicksTwoColours_AndGetsWorksWithThoseColoursFirst()
    {
        string[] picked;
        await using (var connection = new NpgsqlConnection(TestDatabase.ConnectionStringFor(Server.Database)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT \"Palette\" FROM \"Artworks\" ORDER BY \"Id\" OFFSET 17 LIMIT 1", connection);
            picked = [.. ((string[])(await command.ExecuteScalarAsync())!).Take(2)];
        }

        var page = await NewPageAsync();
        await page.GotoAsync("/search/colour");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("colour-input").First.FillAsync(picked[0]);
        await page.GetByTestId("add-colour").ClickAsync();
        await Assertions.Expect(page.GetByTestId("colour-input")).ToHaveCountAsync(2);
        await page.GetByTestId("colour-input").Nth(1).FillAsync(picked[1]);
        await page.GetByTestId("colour-search").ClickAsync();
        // Polled, not awaited as a navigation: NavigateTo pushes the address in place (no load event to wait for).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/search/colour\\?c="));

        var results = page.GetByTestId("colour-results").GetByTestId("colour-result");
        await Assertions.Expect(results).ToHaveCountAsync(24);
        var wanted = picked.Select(ColourSpace.FromHex).ToList();
        for (var i = 0; i < 3; i++)
        {
            var shown = await results.Nth(i).GetByTestId("result-palette").Locator("[data-colour]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.colour)");
            var colours = shown.Select(ColourSpace.FromHex).ToList();

            // ΔE 15: a clearly similar shade; each of the first three shows both picked colours.
            Assert.All(wanted, w => Assert.Contains(colours, c => c.DeltaE(w) < 15));
        }
    }
}
