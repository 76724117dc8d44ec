using System.Globalization;
using System.Text;
using ArtGallery.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>The market feature in headless Chromium: a curator's import, a visitor's Market tab, and an anonymous visitor who sees none of it.</summary>
[Collection(CuratorGalleryServer.Collection)]
public sealed class MarketBrowserTests(CuratorGalleryServer server, ITestOutputHelper output)
    : BrowserTest<CuratorGalleryServer>(server, output)
{
    [Fact]
    public async Task Curator_ImportsSalesCsv_VisitorSeesIndexBandAndValuationWithComparables_AnonymousSeesNoMarketData()
    {
        var curator = await NewPageAsync();
        await curator.GotoAsync("/account/signin");
        await CuratorBrowserTests.SubmitSignInAsync(curator, CuratorGalleryServer.CuratorEmail, TestAccounts.Password);
        await Assertions.Expect(curator.GetByTestId("signed-in-as")).ToHaveTextAsync(CuratorGalleryServer.CuratorEmail);
        await curator.GotoAsync("/market");
        var csv = Path.Combine(Path.GetTempPath(), $"ag-sales-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, SalesCsv());
        try
        {
            await Assertions.Expect(curator.GetByTestId("sales-file")).ToBeEnabledAsync();
            await curator.GetByTestId("sales-file").SetInputFilesAsync(csv);
            // Parsing, writing 1,800 sales and refitting the market model: seconds alone, a minute on a loaded CI machine.
            await Assertions.Expect(curator.GetByTestId("import-summary")).ToHaveTextAsync("1800 imported, 0 already recorded, 1 rejected.", new() { Timeout = 120_000 });
            await Assertions.Expect(curator.GetByTestId("import-row")).ToContainTextAsync("bad date");
        }
        finally
        {
            File.Delete(csv);
        }

        var visitor = await NewPageAsync();
        await visitor.GotoAsync("/account/signin");
        await CuratorBrowserTests.SubmitSignInAsync(visitor, CuratorGalleryServer.VisitorEmail, TestAccounts.Password);
        await Assertions.Expect(visitor.GetByTestId("signed-in-as")).ToHaveTextAsync(CuratorGalleryServer.VisitorEmail);
        await visitor.GotoAsync("/artworks/1");
        var artistHref = await visitor.Locator("a[href^='/artists/']").First.GetAttributeAsync("href");
        await visitor.GotoAsync(artistHref!);
        var panel = visitor.GetByTestId("market-panel");
        await Assertions.Expect(panel.GetByTestId("index-chart")).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByTestId("index-band")).ToHaveCountAsync(1);
        await Assertions.Expect(panel.GetByTestId("valuation")).ToContainTextAsync("80 % interval");
        await Assertions.Expect(panel.GetByTestId("comparable").First).ToBeVisibleAsync();

        var stranger = await NewPageAsync();
        await stranger.GotoAsync(artistHref!);
        await Assertions.Expect(stranger.GetByTestId("market-signin")).ToBeVisibleAsync();
        await Assertions.Expect(stranger.GetByTestId("index-chart")).ToHaveCountAsync(0);
        await Assertions.Expect(stranger.GetByTestId("sale-row")).ToHaveCountAsync(0);
        await stranger.GotoAsync("/market");
        await Assertions.Expect(stranger.GetByTestId("market-signin")).ToBeVisibleAsync();
        await Assertions.Expect(stranger.GetByTestId("rates")).ToHaveCountAsync(0);
    }

    /// <summary>Three sales of each of the 600 demo works over 2005–2024 (prices rising 6 % a year), and one bad row.</summary>
    private static string SalesCsv()
    {
        var random = new Random(8);
        var text = new StringBuilder("work_id,date,venue,venue_type,lot,price,currency\n");
        for (var work = 1; work <= 600; work++)
        {
            foreach (var year in new[] { 2005 + (work % 7), 2013 + (work % 5), 2019 + (work % 6) })
            {
                var price = 2000 * (1 + (work % 13)) * Math.Exp((0.06 * (year - 2005)) + (0.15 * (random.NextDouble() - 0.5)));
                text.Append(CultureInfo.InvariantCulture, $"{work},{year}-06-01,Browser House,auction,{work}-{year},{price:0},USD\n");
            }
        }

        return text.Append("1,2020-99-01,Browser House,auction,bad,100,USD\n").ToString();
    }
}
