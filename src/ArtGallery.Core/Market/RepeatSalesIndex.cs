namespace ArtGallery.Core.Market;

/// <summary>
/// Case–Shiller repeat-sales index: each pair of consecutive sales of one work gives
/// log(p₂/p₁) = b(t₂) − b(t₁) + e, so everything fixed about the work cancels. Stage one is ordinary
/// least squares; stage two reweights pairs by the variance their holding period predicts (longer
/// holds drift more), as Case and Shiller (1987) do. b(first year) = 0.
/// </summary>
public static class RepeatSalesIndex
{
    public const string Name = "repeat-sales";

    public static PriceIndex Fit(MarketData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var pairs = Pairs(data);
        var columns = data.Periods - 1;
        var perPeriod = new int[data.Periods];
        foreach (var (first, second, _) in pairs)
        {
            perPeriod[first]++;
            perPeriod[second]++;
        }

        if (pairs.Count < 2 || columns < 1)
        {
            return new PriceIndex(Name, [], pairs.Count, false, $"{pairs.Count} repeat-sale pairs");
        }

        // A period no pair touches keeps a tiny penalty so the system stays solvable; its band shows it knows nothing.
        var penalty = Enumerable.Repeat(1e-6, columns).ToArray();
        var stage1 = Solve(pairs, columns, _ => 1, penalty);

        // Stage two: e² ≈ a + b·gap, by least squares on the stage-one residuals.
        var gaps = pairs.Select(p => (double)(p.Second - p.First)).ToArray();
        var squared = pairs.Select(p => Math.Pow(p.Diff - (B(stage1.Beta, p.Second) - B(stage1.Beta, p.First)), 2)).ToArray();
        var (a, b) = Line(gaps, squared);
        var floor = Math.Max(1e-4, 0.1 * squared.Average());
        var weighted = Solve(pairs, columns, p => 1 / Math.Max(floor, a + (b * (p.Second - p.First))), penalty);

        var variances = weighted.Variances([.. Enumerable.Range(0, columns)]);
        var points = new IndexPoint[data.Periods];
        points[0] = new IndexPoint(data.FirstYear, 0, 0, 0, perPeriod[0]);
        for (var t = 1; t < data.Periods; t++)
        {
            var se = Math.Sqrt(variances[t - 1]);
            var value = weighted.Beta[t - 1];
            points[t] = new IndexPoint(data.FirstYear + t, value, value - (Band.Z80 * se), value + (Band.Z80 * se), perPeriod[t]);
        }

        var (enough, support) = Band.Judge(pairs.Count, perPeriod);
        return new PriceIndex(Name, points, pairs.Count, enough, support.Replace("observations", "repeat-sale pairs", StringComparison.Ordinal));
    }

    private static double B(double[] beta, int period) => period == 0 ? 0 : beta[period - 1];

    private static List<(int First, int Second, double Diff)> Pairs(MarketData data)
    {
        var pairs = new List<(int, int, double)>();
        foreach (var group in data.Sales.GroupBy(s => s.Work))
        {
            var ordered = group.OrderBy(s => s.Period).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Period > ordered[i - 1].Period)
                {
                    pairs.Add((ordered[i - 1].Period, ordered[i].Period, ordered[i].LogPrice - ordered[i - 1].LogPrice));
                }
            }
        }

        return pairs;
    }

    private static RidgeSolution Solve(List<(int First, int Second, double Diff)> pairs, int columns, Func<(int First, int Second, double Diff), double> weight, double[] penalty)
    {
        var system = new NormalEquations(columns);
        Span<int> index = stackalloc int[2];
        Span<double> value = stackalloc double[2];
        foreach (var pair in pairs)
        {
            var n = 0;
            if (pair.Second > 0)
            {
                index[n] = pair.Second - 1;
                value[n++] = 1;
            }

            if (pair.First > 0)
            {
                index[n] = pair.First - 1;
                value[n++] = -1;
            }

            system.Add(index[..n], value[..n], pair.Diff, weight(pair));
        }

        return system.Solve(penalty);
    }

    private static (double A, double B) Line(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var sxx = x.Sum(v => (v - mx) * (v - mx));
        var b = sxx > 0 ? x.Zip(y, (u, v) => (u - mx) * (v - my)).Sum() / sxx : 0;
        return (my - (b * mx), Math.Max(0, b));
    }
}
