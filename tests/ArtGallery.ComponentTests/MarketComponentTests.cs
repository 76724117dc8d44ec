using System.Globalization;
using ArtGallery.Core.Market;
using ArtGallery.Web.Features.Market;
using Bunit;

namespace ArtGallery.ComponentTests;

public sealed class MarketComponentTests : BunitContext
{
    [Fact]
    public void IndexChart_WithAYearOfNextToNoData_KeepsItsScaleOnTheIndexLine()
    {
        // Index around 100–150 over six years; 2003 rests on one sale and its band spans e^±700.
        IndexPoint[] points =
        [
            new(2000, 0.00, -0.10, 0.10, 40),
            new(2001, 0.10, 0.00, 0.20, 38),
            new(2002, 0.20, 0.08, 0.32, 35),
            new(2003, 0.25, -700, 700, 1),
            new(2004, 0.35, 0.22, 0.48, 30),
            new(2005, 0.40, 0.28, 0.52, 33),
        ];

        var cut = Render<IndexChart>(p => p.Add(c => c.Points, points).Add(c => c.Forecast, [new ForecastPoint(2006, 0.45, 0.1, 0.8)]));

        var top = double.Parse(cut.Find("[data-testid=axis-top]").TextContent, CultureInfo.InvariantCulture);
        var bottom = double.Parse(cut.Find("[data-testid=axis-bottom]").TextContent, CultureInfo.InvariantCulture);
        // The frame holds the whole line (index 100 to 157) with room for a typical band, not e^700.
        Assert.InRange(bottom, 50, 100);
        Assert.InRange(top, 157, 300);
        Assert.DoesNotContain("Infinity", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", cut.Markup, StringComparison.Ordinal);
    }
}
