using System.Globalization;
using System.Text;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Market;

namespace ArtGallery.IntegrationTests;

/// <summary>Sales import, rights and valuations through the real market services on a copy of the demo database.</summary>
public sealed class MarketTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly string[] BadKinds = ["unknown work", "bad date", "negative price", "unknown currency", "duplicate"];

    private IServiceProvider Services => fixture.Services;

    [Fact]
    public async Task SalesImport_2000RowsWith40Bad_Imports1960Once_Reports40WithReasons_RerunAddsNothing()
    {
        var curator = await TestAccounts.CreateAsync(Services, "market-importer@example.test", GalleryRoles.Curator);
        var edits = Services.GetRequiredService<MarketEditService>();
        await edits.SetRateAsync(curator, "EUR", new DateOnly(1990, 1, 1), 1.1m);
        var csv = BuildCsv(good: 1960, badPerKind: 8);

        var first = await edits.ImportAsync(curator, csv, null);
        var again = await edits.ImportAsync(curator, csv, null);

        Assert.Equal(2000, first.Rows.Count);
        Assert.Equal(1960, first.Imported);
        Assert.Equal(40, first.Rejected);
        foreach (var kind in BadKinds)
        {
            Assert.Equal(8, first.Rows.Count(r => r.Outcome == SaleImportOutcome.Rejected && r.Reason!.StartsWith(kind, StringComparison.Ordinal)));
        }

        Assert.Equal(0, again.Imported);
        Assert.Equal(1960, again.AlreadyImported);
        Assert.Equal(40, again.Rejected);
        await using var db = await Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        Assert.Equal(1960, await db.Sales.CountAsync(s => s.Venue == "Bulk House"));
        Assert.Equal(1960, await db.MarketAudits.CountAsync(a => a.Action == "Imported" && a.ActorName == "market-importer@example.test" && a.Detail!.Contains("Bulk House")));
    }

    [Fact]
    public async Task SalesImport_HandMadeCsvWithMapping_ImportsGoodRowsAndNamesEachBadOne()
    {
        var curator = await TestAccounts.CreateAsync(Services, "market-mapper@example.test", GalleryRoles.Curator);
        var edits = Services.GetRequiredService<MarketEditService>();
        var csv = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Market", "sales-sample.csv"));
        const string Mapping = "work_id=Work\ndate=Sold on\nvenue=House\nvenue_type=Type\nlot=Lot\nprice=Hammer\ncurrency=Cur\nestimate_low=Low\nestimate_high=High\nbought_in=Unsold\npremium_included=BP";

        var report = await edits.ImportAsync(curator, csv, Mapping);

        // EUR has no rate in this database, so the gallery sale is refused until a curator adds one.
        Assert.Equal([SaleImportOutcome.Imported, SaleImportOutcome.Imported, SaleImportOutcome.Rejected, SaleImportOutcome.Imported, SaleImportOutcome.Rejected, SaleImportOutcome.Rejected], report.Rows.Select(r => r.Outcome));
        Assert.StartsWith("unknown currency", report.Rows[2].Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad date", report.Rows[4].Reason, StringComparison.Ordinal);
        Assert.StartsWith("negative price", report.Rows[5].Reason, StringComparison.Ordinal);
        var sales = await Services.GetRequiredService<MarketService>().ListSalesAsync(curator, artworkId: 3);
        Assert.True(sales.Single(s => s.Venue == "Northfield Auctions").BoughtIn);
    }

    [Fact]
    public async Task Market_AnonymousSeesNothing_VisitorReadsButCannotEdit_EveryEditIsAudited()
    {
        var visitor = await TestAccounts.CreateAsync(Services, "market-visitor@example.test");
        var curator = await TestAccounts.CreateAsync(Services, "market-curator@example.test", GalleryRoles.Curator);
        var market = Services.GetRequiredService<MarketService>();
        var edits = Services.GetRequiredService<MarketEditService>();

        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => market.ListSalesAsync(GalleryAccess.Anonymous));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => market.GetOverviewAsync(GalleryAccess.Anonymous));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => market.ValueAsync(GalleryAccess.Anonymous, 1));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => edits.ImportAsync(visitor, "work_id,date,venue,price,currency\n1,2020-01-01,X,1,USD", null));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => edits.SetRateAsync(visitor, "GBP", new DateOnly(2020, 1, 1), 1.3m));

        var id = await edits.AddSaleAsync(curator, new SaleInput(7, new DateOnly(2021, 4, 1), "Hand House", Data.Entities.VenueKind.Auction, "1", 4200, "USD", 3000, 5000, false, true));
        await edits.SetRateAsync(curator, "GBP", new DateOnly(2020, 1, 1), 1.3m);
        await edits.SetRateAsync(curator, "GBP", new DateOnly(2020, 1, 1), 1.25m);
        await edits.DeleteSaleAsync(curator, id);

        Assert.Empty(await market.ListSalesAsync(visitor, artworkId: 7));
        await using var db = await Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var trail = await db.MarketAudits.Where(a => a.ActorName == "market-curator@example.test").OrderBy(a => a.Id).Select(a => a.Entity + ":" + a.Action).ToListAsync();
        Assert.Equal(["Sale:Imported", "Rate:Added", "Rate:Updated", "Sale:Removed"], trail);
    }

    [Fact]
    public async Task Valuation_AfterImportingAHistory_HasAnIntervalAroundTheEstimate_ComparablesAndAnIndexWithBands()
    {
        var curator = await TestAccounts.CreateAsync(Services, "market-valuer@example.test", GalleryRoles.Curator);
        var visitor = await TestAccounts.CreateAsync(Services, "market-reader@example.test");
        var edits = Services.GetRequiredService<MarketEditService>();
        await edits.ImportAsync(curator, BuildCsv(good: 900, badPerKind: 0, venue: "History House"), null);
        var market = Services.GetRequiredService<MarketService>();

        var valuation = await market.ValueAsync(visitor, 42);
        var overview = await market.GetOverviewAsync(visitor);

        Assert.NotNull(valuation);
        Assert.InRange(valuation.Estimate, valuation.Low80, valuation.High80);
        Assert.True(valuation.High80 > valuation.Low80);
        Assert.NotEmpty(valuation.Comparables);
        Assert.DoesNotContain(valuation.Comparables, c => c.ArtworkId == 42);
        Assert.NotNull(overview.Preferred);
        Assert.All(overview.Preferred.Points.Skip(1), p => Assert.True(p.High80 > p.Low80));
        Assert.Equal(3, overview.Forecast.Count);
    }

    /// <summary>
    /// Good rows: works 1–600, yearly prices that rise 5 % a year with a per-work level, several sales per
    /// work (repeat sales), some in EUR. Bad rows, <paramref name="badPerKind"/> of each kind, spread through the file.
    /// </summary>
    private static string BuildCsv(int good, int badPerKind, string venue = "Bulk House")
    {
        var random = new Random(21);
        var lines = new List<string>();
        for (var i = 0; i < good; i++)
        {
            var work = 1 + (i % 600);
            var year = 1995 + ((i * 7) % 30);
            var price = Math.Round(1000 * Math.Exp(0.05 * (year - 1995)) * (1 + (work % 17)) * Math.Exp(0.2 * (random.NextDouble() - 0.5)));
            var currency = i % 5 == 0 ? "EUR" : "USD";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{work},{year}-0{1 + (i % 9)}-15,{venue},auction,{i},{(currency == "EUR" ? price / 1.1 : price):0},{currency},,,no,yes"));
        }

        var bad = new List<string>();
        for (var k = 0; k < badPerKind; k++)
        {
            bad.Add($"999999,2020-01-01,{venue},auction,u{k},100,USD,,,no,yes");
            bad.Add($"1,2020-02-30,{venue},auction,d{k},100,USD,,,no,yes");
            bad.Add($"2,2020-01-01,{venue},auction,n{k},-100,USD,,,no,yes");
            bad.Add($"3,2020-01-01,{venue},auction,c{k},100,XYZ,,,no,yes");
            bad.Add(lines[k * 10]);
        }

        var all = new StringBuilder("work_id,date,venue,venue_type,lot,price,currency,estimate_low,estimate_high,bought_in,premium_included\n");
        var step = bad.Count == 0 ? int.MaxValue : lines.Count / bad.Count;
        var b = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            all.Append(lines[i]).Append('\n');
            if (i >= 100 && i % step == 0 && b < bad.Count)
            {
                all.Append(bad[b++]).Append('\n');
            }
        }

        foreach (var rest in bad.Skip(b))
        {
            all.Append(rest).Append('\n');
        }

        return all.ToString();
    }
}
