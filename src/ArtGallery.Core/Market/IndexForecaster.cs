namespace ArtGallery.Core.Market;

/// <summary>One forecast year: the log index and its 80 % prediction interval.</summary>
public readonly record struct ForecastPoint(int Year, double LogIndex, double Low80, double High80);

/// <summary>A one-year-ahead forecast made at <see cref="Origin"/> with the index known up to then, and what the index then was.</summary>
public readonly record struct BacktestPoint(int Origin, double Forecast, double RandomWalk, double Actual);

/// <summary>
/// The index's yearly returns as an AR(1) around their mean: r(t) − μ = φ·(r(t−1) − μ) + e. Art-market
/// returns run in cycles (a good year tends to follow a good year), which a random walk ignores. The
/// interval widens with the horizon by the AR(1)'s own error propagation.
/// </summary>
public static class IndexForecaster
{
    /// <summary>Returns needed before φ is estimated; with fewer, the forecast is the mean return (drift).</summary>
    public const int MinimumReturnsForAr = 6;

    public static IReadOnlyList<ForecastPoint> Forecast(IReadOnlyList<double> logIndex, int lastYear, int horizon)
    {
        ArgumentNullException.ThrowIfNull(logIndex);
        var (mu, phi, sigma) = FitAr1(logIndex);
        var points = new List<ForecastPoint>();
        var level = logIndex[^1];
        var lastReturn = logIndex.Count > 1 ? logIndex[^1] - logIndex[^2] : mu;
        var variance = 0.0;
        var psi = new List<double>();
        for (var h = 1; h <= horizon; h++)
        {
            lastReturn = mu + (phi * (lastReturn - mu));
            level += lastReturn;

            // Cumulative effect of each future shock on the level: 1 + φ + … + φ^(h−j).
            psi.Add(0);
            for (var j = 0; j < psi.Count; j++)
            {
                psi[j] = Enumerable.Range(0, h - j).Sum(i => Math.Pow(phi, i));
            }

            variance = sigma * sigma * psi.Sum(p => p * p);
            var sd = Math.Sqrt(variance);
            points.Add(new ForecastPoint(lastYear + h, level, level - (Band.Z80 * sd), level + (Band.Z80 * sd)));
        }

        return points;
    }

    /// <summary>
    /// One-year-ahead forecasts from every origin after the first half of the series, each fitted on the
    /// index up to its origin only; <paramref name="actual"/> is what each forecast is scored against
    /// (the estimated index in the product, the true index on the simulator).
    /// </summary>
    public static IReadOnlyList<BacktestPoint> Backtest(IReadOnlyList<double> logIndex, IReadOnlyList<double> actual, int firstYear)
    {
        ArgumentNullException.ThrowIfNull(logIndex);
        ArgumentNullException.ThrowIfNull(actual);
        var points = new List<BacktestPoint>();
        for (var origin = Math.Max(MinimumReturnsForAr, logIndex.Count / 2); origin < logIndex.Count - 1; origin++)
        {
            var known = logIndex.Take(origin + 1).ToList();
            var next = Forecast(known, firstYear + origin, 1)[0].LogIndex;
            points.Add(new BacktestPoint(firstYear + origin, next, known[^1], actual[origin + 1]));
        }

        return points;
    }

    private static (double Mu, double Phi, double Sigma) FitAr1(IReadOnlyList<double> logIndex)
    {
        var returns = logIndex.Zip(logIndex.Skip(1), (a, b) => b - a).ToList();
        if (returns.Count == 0)
        {
            return (0, 0, 0);
        }

        var mu = returns.Average();
        if (returns.Count < MinimumReturnsForAr)
        {
            var sd = returns.Count > 1 ? Math.Sqrt(returns.Sum(r => (r - mu) * (r - mu)) / (returns.Count - 1)) : 0;
            return (mu, 0, sd);
        }

        var x = returns.Take(returns.Count - 1).Select(r => r - mu).ToList();
        var y = returns.Skip(1).Select(r => r - mu).ToList();
        var sxx = x.Sum(v => v * v);
        // Clamped inside (−0.95, 0.95): a stationary AR(1), so forecasts revert to the mean return instead of exploding.
        var phi = sxx > 0 ? Math.Clamp(x.Zip(y, (a, b) => a * b).Sum() / sxx, -0.95, 0.95) : 0;
        var residuals = x.Zip(y, (a, b) => b - (phi * a)).ToList();
        var sigma = Math.Sqrt(residuals.Sum(e => e * e) / Math.Max(1, residuals.Count - 2));
        return (mu, phi, sigma);
    }
}
