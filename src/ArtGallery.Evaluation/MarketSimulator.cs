using ArtGallery.Core.Market;

namespace ArtGallery.Evaluation;

/// <summary>What the simulated market looks like; every figure it produces is synthetic.</summary>
public sealed record MarketSimulatorOptions(
    int Seed,
    bool VisualEffect = true,
    int Artists = 150,
    int Styles = 10,
    int Works = 4000,
    int FirstYear = 1990,
    int LastYear = 2025,
    int Dimensions = 64,
    double VisualStrength = 0.35);

/// <summary>One auction appearance: sold at <see cref="Price"/> or bought in (no price) below the reserve.</summary>
public readonly record struct SimulatedSale(int Work, int Year, double? Price, double EstimateLow, double EstimateHigh);

/// <summary>A simulated market: its data as the models see it, every auction appearance, and the truth.</summary>
public sealed record SimulatedMarket(MarketData Data, IReadOnlyList<SimulatedSale> Auctions, double[] TrueLogIndex, IReadOnlyList<string> Mediums);

/// <summary>
/// A synthetic art market with a known truth. Assumptions (docs/market.md): artists in styles, each
/// with a price level; works with a size, a medium, a date and a style embedding made of a few latent
/// visual factors (an artist's works share a centre) plus noise; a market index = drift + a 9-year
/// cycle + yearly shocks + two crashes; log price = index + artist + style + medium + size + career
/// stage + (optionally) a hidden visual direction buyers pay for + a per-work premium + noise.
/// Auctions publish estimates around the expected price; a hammer below 80 % of the low estimate is
/// bought in (no price, the buy-in is recorded). Works come up 1 + Poisson(0.9) times.
/// </summary>
public static class MarketSimulator
{
    public static readonly string[] MediumNames = ["Oil on canvas", "Acrylic", "Watercolour", "Works on paper", "Mixed media"];
    private static readonly double[] MediumEffect = [0.3, 0.1, -0.3, -0.5, 0];
    private const int LatentFactors = 12;

    public static SimulatedMarket Run(MarketSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        var periods = options.LastYear - options.FirstYear + 1;
        var index = new double[periods];
        for (var t = 1; t < periods; t++)
        {
            var year = options.FirstYear + t;
            var cycle = 0.25 * (Math.Sin(2 * Math.PI * t / 9.0) - Math.Sin(2 * Math.PI * (t - 1) / 9.0));
            var crash = year is 2009 ? -0.3 : year is 1991 ? -0.2 : 0;
            index[t] = index[t - 1] + 0.03 + cycle + crash + (0.05 * Normal());
        }

        var dims = options.Dimensions;
        var basis = Enumerable.Range(0, LatentFactors).Select(_ => Unit(Enumerable.Range(0, dims).Select(_ => Normal()).ToArray())).ToArray();
        var factorSd = Enumerable.Range(0, LatentFactors).Select(k => 1 / Math.Sqrt(1 + (k / 2.0))).ToArray();
        var hidden = Unit(Enumerable.Range(0, LatentFactors).Select(k => k < 6 ? Normal() : 0).ToArray());
        var styleCentre = Enumerable.Range(0, options.Styles).Select(_ => factorSd.Select(sd => 0.8 * sd * Normal()).ToArray()).ToArray();
        var styleEffect = Enumerable.Range(0, options.Styles).Select(_ => 0.3 * Normal()).ToArray();

        var artistStyle = new int[options.Artists];
        var artistLevel = new double[options.Artists];
        var artistBorn = new int[options.Artists];
        var artistCentre = new double[options.Artists][];
        for (var a = 0; a < options.Artists; a++)
        {
            artistStyle[a] = random.Next(options.Styles);
            artistLevel[a] = 0.8 * Normal();
            artistBorn[a] = 1880 + random.Next(100);
            artistCentre[a] = styleCentre[artistStyle[a]].Select((c, k) => c + (0.5 * factorSd[k] * Normal())).ToArray();
        }

        var works = new List<MarketWork>(options.Works);
        var workValue = new double[options.Works];
        var madeIn = new int[options.Works];
        for (var w = 0; w < options.Works; w++)
        {
            var a = random.Next(options.Artists);
            var made = artistBorn[a] + 22 + random.Next(45);
            madeIn[w] = made;
            var medium = random.Next(MediumNames.Length);
            var logArea = Math.Log(4000) + (0.8 * Normal());
            var latent = artistCentre[a].Select((c, k) => c + (0.7 * factorSd[k] * Normal())).ToArray();
            var v = new double[dims];
            for (var k = 0; k < LatentFactors; k++)
            {
                for (var d = 0; d < dims; d++)
                {
                    v[d] += latent[k] * basis[k][d];
                }
            }

            for (var d = 0; d < dims; d++)
            {
                v[d] += 0.15 * Normal();
            }

            float[] embedding = [.. Unit(v).Select(x => (float)x)];
            var career = (made - artistBorn[a] - 45) / 20.0;
            var visual = options.VisualEffect ? options.VisualStrength * latent.Select((l, k) => l * hidden[k]).Sum() : 0;
            workValue[w] = 8 + artistLevel[a] + styleEffect[artistStyle[a]] + MediumEffect[medium] + (0.5 * (logArea - Math.Log(4000)))
                + (-0.4 * career * career) + visual + (0.35 * Normal());
            works.Add(new MarketWork(a, artistStyle[a], medium, logArea, (made - 1900) / 100.0, embedding));
        }

        var auctions = new List<SimulatedSale>();
        var sales = new List<MarketSale>();
        for (var w = 0; w < options.Works; w++)
        {
            var first = Math.Max(options.FirstYear, madeIn[w] + 1);
            if (first > options.LastYear)
            {
                continue;
            }

            foreach (var (year, price, low, high) in Appearances(random, first, options, workValue[w], index))
            {
                auctions.Add(new SimulatedSale(w, year, price, low, high));
                if (price is { } p)
                {
                    sales.Add(new MarketSale(w, year - options.FirstYear, Math.Log(p)));
                }
            }
        }

        var data = new MarketData(works, sales, options.FirstYear, periods, options.Artists, options.Styles, MediumNames.Length);
        return new SimulatedMarket(data, auctions, index, MediumNames);
    }

    /// <summary>
    /// A work's auction appearances from <paramref name="first"/> on: 1 + Poisson(0.9) distinct years, estimates
    /// around the expected price, a hammer price, and a buy-in (no price) below 80 % of the low estimate.
    /// </summary>
    public static IEnumerable<(int Year, double? Price, double Low, double High)> Appearances(Random random, int first, MarketSimulatorOptions options, double workValue, double[] index)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(index);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var appearances = 1 + Poisson(random, 0.9);
        var years = Enumerable.Range(0, appearances).Select(_ => first + random.Next(options.LastYear - first + 1)).Distinct().Order().ToList();
        foreach (var year in years)
        {
            var expected = workValue + index[year - options.FirstYear];
            var estimate = expected + (0.15 * Normal());
            var (low, high) = (Math.Exp(estimate) * 0.8, Math.Exp(estimate) * 1.25);
            var hammer = expected + (0.2 * Normal());
            yield return (year, Math.Exp(hammer) < 0.8 * low ? null : Math.Exp(hammer), low, high);
        }
    }

    private static int Poisson(Random random, double lambda)
    {
        var (limit, k, p) = (Math.Exp(-lambda), 0, random.NextDouble());
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    internal static double[] Unit(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
