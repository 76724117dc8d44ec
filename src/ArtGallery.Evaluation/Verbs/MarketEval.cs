namespace ArtGallery.Evaluation.Verbs;

/// <summary><c>eval market</c>: the market models on simulated (synthetic) markets whose truth is known.</summary>
internal static class MarketEval
{
    private static readonly bool[] Conditions = [true, false];

    public static Command Create()
    {
        var seed = new Option<int?>("--seed") { Description = "One seed; without it five seeds (1–5) are run." };
        var seeds = new Option<int>("--seeds") { Description = "How many seeds from 1 when --seed is not given.", DefaultValueFactory = _ => 5 };
        var command = new Command("market", "Index recovery, valuation error and coverage, and forecast error on SYNTHETIC simulated markets, with and without a visual effect.") { seed, seeds };
        command.SetAction(parse =>
        {
            var list = parse.GetValue(seed) is { } one ? [one] : Enumerable.Range(1, Math.Max(1, parse.GetValue(seeds))).ToArray();
            var results = new List<MarketEvaluationResult>();
            Console.WriteLine("SYNTHETIC market simulator (docs/market.md); columns:");
            Console.WriteLine("seed visual sales bought_in pairs rs_index_rmse hedonic_index_rmse index_cov80 mdale_img mdale_no_img mdale_artist_median cov80 image_penalty forecast1y_rmse random_walk_rmse");
            foreach (var s in list)
            {
                foreach (var visual in Conditions)
                {
                    var r = MarketEvaluation.Run(new MarketSimulatorOptions(s, VisualEffect: visual));
                    results.Add(r);
                    Console.WriteLine(string.Join(' ', I(r.Seed), visual ? "yes" : "no ", I(r.Sales), I(r.BoughtIn), I(r.RepeatPairs), F(r.RepeatSalesIndexRmse), F(r.HedonicIndexRmse), F(r.IndexCoverage80),
                        F(r.ValuationMdale), F(r.NoImageMdale), F(r.BaselineMdale), F(r.Coverage80), r.ImagePenalty.ToString("G3", CultureInfo.InvariantCulture), F(r.ForecastRmse), F(r.RandomWalkRmse)));
                }
            }

            var on = results.Where(r => r.VisualEffect).ToList();
            var off = results.Where(r => !r.VisualEffect).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean over {list.Length} seeds, visual effect ON : repeat_sales_index_rmse={F(on.Average(r => r.RepeatSalesIndexRmse))} hedonic_index_rmse={F(on.Average(r => r.HedonicIndexRmse))} index_coverage80={F(on.Average(r => r.IndexCoverage80))} forecast1y_rmse={F(on.Average(r => r.ForecastRmse))} random_walk_rmse={F(on.Average(r => r.RandomWalkRmse))}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean over {list.Length} seeds, visual effect OFF: image_mdale={F(off.Average(r => r.ValuationMdale))} no_image_mdale={F(off.Average(r => r.NoImageMdale))} (image terms {(off.Average(r => r.ValuationMdale) <= off.Average(r => r.NoImageMdale) + 0.001 ? "did not raise" : "RAISED")} the error) coverage80={F(off.Average(r => r.Coverage80))}; largest per-seed excess of image over no-image {F(off.Max(r => r.ValuationMdale - r.NoImageMdale))}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"valuation_mdale={F(on.Average(r => r.ValuationMdale))} no_image_mdale={F(on.Average(r => r.NoImageMdale))} baseline_mdale={F(on.Average(r => r.BaselineMdale))} coverage80={F(on.Average(r => r.Coverage80))}"));
            return 0;
        });
        return command;
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
