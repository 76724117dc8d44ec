namespace ArtGallery.Core.Market;

/// <summary>
/// What the models know of a work: indices into the data set's artists, styles and mediums (−1 when
/// unknown), log of its area, its year scaled to centuries from 1900, and its style embedding if any.
/// </summary>
public sealed record MarketWork(int Artist, int Style, int Medium, double LogArea, double YearScaled, float[]? Embedding);

/// <summary>A sale with a price: the work's position in <see cref="MarketData.Works"/>, the period (year − first year), log price in the base currency.</summary>
public readonly record struct MarketSale(int Work, int Period, double LogPrice);

/// <summary>Works and their priced sales, with the number of yearly periods from <see cref="FirstYear"/>.</summary>
public sealed record MarketData(IReadOnlyList<MarketWork> Works, IReadOnlyList<MarketSale> Sales, int FirstYear, int Periods, int Artists, int Styles, int Mediums)
{
    /// <summary>The sales of a subset of works (an artist's, a style's), the rest of the data set kept.</summary>
    public MarketData Where(Func<MarketWork, bool> keep) =>
        this with { Sales = [.. Sales.Where(s => keep(Works[s.Work]))] };
}

/// <summary>One point of a log price index with its 80 % band and how many observations touch that period.</summary>
public readonly record struct IndexPoint(int Year, double LogIndex, double Low80, double High80, int Observations);

/// <summary>A price index with the model it came from and whether the data is enough to read it.</summary>
public sealed record PriceIndex(string Model, IReadOnlyList<IndexPoint> Points, int Observations, bool EnoughData, string Support);

/// <summary>The 80 % normal quantile: bands and intervals in this feature are 80 %.</summary>
public static class Band
{
    public const double Z80 = 1.2815515655446004;

    /// <summary>The q-th quantile (0–1) of <paramref name="values"/>, linear between order statistics.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(sorted.Length - 1, lower + 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Whether the periods with data are enough to read an index: at least 30 observations and 2 in four fifths of the periods.</summary>
    public static (bool Enough, string Support) Judge(int observations, IReadOnlyList<int> perPeriod)
    {
        ArgumentNullException.ThrowIfNull(perPeriod);
        var covered = perPeriod.Count(c => c >= 2);
        var enough = observations >= 30 && covered >= 0.8 * perPeriod.Count;
        return (enough, $"{observations} observations; {covered} of {perPeriod.Count} years have at least 2");
    }
}
