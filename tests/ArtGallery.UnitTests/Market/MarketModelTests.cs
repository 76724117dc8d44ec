using ArtGallery.Core.Market;
using ArtGallery.Evaluation;

namespace ArtGallery.UnitTests.Market;

/// <summary>The market models on the SYNTHETIC simulator, whose truth is known.</summary>
public sealed class MarketModelTests
{
    [Fact]
    public void Hedonic_WithAVisualEffect_ImageTermsLowerTheValuationError_AndBeatTheArtistMedian()
    {
        var r = MarketEvaluation.Run(new MarketSimulatorOptions(Seed: 3, VisualEffect: true));

        Assert.True(r.ValuationMdale < r.NoImageMdale, $"with images {r.ValuationMdale:0.000}, without {r.NoImageMdale:0.000}");
        Assert.True(r.NoImageMdale < r.BaselineMdale, $"hedonic {r.NoImageMdale:0.000}, artist median {r.BaselineMdale:0.000}");
        Assert.InRange(r.Coverage80, 0.75, 0.85);
    }

    [Fact]
    public void Hedonic_WithoutAVisualEffect_ImageTermsDoNotRaiseTheError()
    {
        var r = MarketEvaluation.Run(new MarketSimulatorOptions(Seed: 3, VisualEffect: false));

        // Cross-validation may keep a little of the image terms by chance; 0.005 in log price is half a percent.
        Assert.True(r.ValuationMdale <= r.NoImageMdale + 0.005, $"with images {r.ValuationMdale:0.000}, without {r.NoImageMdale:0.000}");
    }

    [Fact]
    public void RepeatSales_OnTheSimulator_RecoversTheIndexWithinATenthInLog()
    {
        var market = MarketSimulator.Run(new MarketSimulatorOptions(Seed: 4));

        var index = RepeatSalesIndex.Fit(market.Data);

        Assert.True(index.EnoughData);
        var rmse = Math.Sqrt(index.Points.Skip(1).Average(p => Math.Pow(p.LogIndex - market.TrueLogIndex[p.Year - market.Data.FirstYear], 2)));
        Assert.InRange(rmse, 0, 0.1);
    }

    [Fact]
    public void SalesCsv_BadRows_AreReportedOneByOne()
    {
        const string Csv = "work_id,date,venue,price,currency\n1,2020-01-01,A,10,USD\nx,2020-01-01,A,10,USD\n1,01/02/2020,A,10,USD\n1,2020-01-01,A,-1,USD\n1,2020-01-01,A,10,EURO";

        var (rows, rejected) = SalesCsv.Parse(Csv, SalesCsv.ParseMapping(null));

        Assert.Single(rows);
        Assert.Equal(["unknown work", "bad date", "negative price", "unknown currency"], rejected.Select(r => string.Join(' ', r.Reason!.Split(' ', ':').Take(2))));
    }
}
