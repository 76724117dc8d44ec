using ArtGallery.Core.Market;

namespace ArtGallery.Evaluation;

/// <summary>Every figure of one simulated market, measured against its known truth.</summary>
public sealed record MarketEvaluationResult(
    int Seed,
    bool VisualEffect,
    int Sales,
    int BoughtIn,
    int RepeatPairs,
    double RepeatSalesIndexRmse,
    double HedonicIndexRmse,
    double IndexCoverage80,
    double ValuationMdale,
    double NoImageMdale,
    double BaselineMdale,
    double Coverage80,
    double ImagePenalty,
    double ForecastRmse,
    double RandomWalkRmse);

/// <summary>
/// Fits the product's models on 80 % of a simulated market's works and scores them on the truth and on
/// the other 20 % (all sales of a held-out work are held out, so a valuation never sees the work).
/// </summary>
public static class MarketEvaluation
{
    public const double HoldOutShare = 0.2;

    public static MarketEvaluationResult Run(MarketSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var market = MarketSimulator.Run(options);
        var data = market.Data;
        var random = new Random(options.Seed + 1000);
        var heldOut = Enumerable.Range(0, data.Works.Count).Select(_ => random.NextDouble() < HoldOutShare).ToArray();
        var train = data with { Sales = [.. data.Sales.Where(s => !heldOut[s.Work])] };
        var test = data.Sales.Where(s => heldOut[s.Work]).ToList();

        var repeat = RepeatSalesIndex.Fit(train);
        var withImages = HedonicModel.Fit(train, new HedonicOptions(UseImages: true));
        var withoutImages = HedonicModel.Fit(train, new HedonicOptions(UseImages: false));

        var truth = market.TrueLogIndex;
        var hedonicIndex = withImages.Index.Points.Select(p => p.LogIndex).ToArray();
        var covered = withImages.Index.Points.Skip(1).Count(p => truth[p.Year - data.FirstYear] >= p.Low80 && truth[p.Year - data.FirstYear] <= p.High80);

        // Artist-median baseline: the median log price of the artist's training sales, whatever the year.
        var byArtist = train.Sales.GroupBy(s => data.Works[s.Work].Artist).ToDictionary(g => g.Key, g => Band.Quantile([.. g.Select(s => s.LogPrice)], 0.5));
        var overall = Band.Quantile([.. train.Sales.Select(s => s.LogPrice)], 0.5);
        var errors = new List<double>();
        var plainErrors = new List<double>();
        var baselineErrors = new List<double>();
        var inside = 0;
        foreach (var sale in test)
        {
            var work = data.Works[sale.Work];
            var estimate = withImages.Predict(work, sale.Period);
            errors.Add(Math.Abs(sale.LogPrice - estimate));
            plainErrors.Add(Math.Abs(sale.LogPrice - withoutImages.Predict(work, sale.Period)));
            baselineErrors.Add(Math.Abs(sale.LogPrice - byArtist.GetValueOrDefault(work.Artist, overall)));
            if (sale.LogPrice >= estimate + withImages.Lower80 && sale.LogPrice <= estimate + withImages.Upper80)
            {
                inside++;
            }
        }

        var backtest = IndexForecaster.Backtest(hedonicIndex, truth, data.FirstYear);
        return new MarketEvaluationResult(
            options.Seed,
            options.VisualEffect,
            data.Sales.Count,
            market.Auctions.Count(a => a.Price is null),
            repeat.Observations,
            Rmse(repeat.Points.Skip(1).Select(p => p.LogIndex - truth[p.Year - data.FirstYear])),
            Rmse(withImages.Index.Points.Skip(1).Select(p => p.LogIndex - truth[p.Year - data.FirstYear])),
            (double)covered / (data.Periods - 1),
            Band.Quantile(errors, 0.5),
            Band.Quantile(plainErrors, 0.5),
            Band.Quantile(baselineErrors, 0.5),
            test.Count > 0 ? (double)inside / test.Count : double.NaN,
            withImages.ImagePenalty,
            Rmse(backtest.Select(b => b.Forecast - b.Actual)),
            Rmse(backtest.Select(b => b.RandomWalk - b.Actual)));
    }

    private static double Rmse(IEnumerable<double> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? double.NaN : Math.Sqrt(list.Average(e => e * e));
    }
}
