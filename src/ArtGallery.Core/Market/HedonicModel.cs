namespace ArtGallery.Core.Market;

/// <summary>How the hedonic model is fitted.</summary>
public sealed record HedonicOptions(bool UseImages = true, int Components = 16, int Folds = 5)
{
    /// <summary>Image penalties tried by cross-validation; the first one all but removes the image terms.</summary>
    public static IReadOnlyList<double> ImagePenalties { get; } = [1e8, 3000, 1000, 300, 100, 30, 10, 3, 1];
}

/// <summary>
/// log price = intercept + b(year of sale) + artist + style + medium + size + date made + γ·z + e, where z
/// are the leading principal components of the work's style embedding (what it looks like). Artist,
/// style and medium effects are shrunk (ridge, random-effect style) so an artist with two sales is
/// pulled towards the average; the image penalty is chosen by cross-validation grouped by work, with
/// "practically no image terms" among the choices, so image dimensions that predict nothing cannot hurt
/// much. The 80 % valuation interval is split-conformal: the 10th and 90th percentiles of the
/// out-of-fold errors at the chosen penalty.
/// </summary>
public sealed class HedonicModel
{
    public const string Name = "hedonic";
    private const double GroupPenalty = 1;
    private const double Tiny = 1e-4;
    private const int Continuous = 5;

    private readonly Layout _layout;
    private readonly double[] _beta;
    private readonly double _meanLogArea;
    private readonly double _meanYear;

    private HedonicModel(Layout layout, double[] beta, double meanLogArea, double meanYear, EmbeddingProjection? projection)
    {
        _layout = layout;
        _beta = beta;
        _meanLogArea = meanLogArea;
        _meanYear = meanYear;
        Projection = projection;
    }

    public EmbeddingProjection? Projection { get; }

    public PriceIndex Index { get; private set; } = null!;

    /// <summary>The image penalty cross-validation chose (1e8: the image terms were of no use).</summary>
    public double ImagePenalty { get; private set; }

    public double Lower80 { get; private set; }

    public double Upper80 { get; private set; }

    public double CrossValidatedRmse { get; private set; }

    public int Periods => _layout.Periods;

    public static HedonicModel Fit(MarketData data, HedonicOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var sold = data.Sales.Select(s => s.Work).Distinct().ToList();
        var projection = options.UseImages
            ? EmbeddingProjection.Fit([.. sold.Select(w => data.Works[w].Embedding).OfType<float[]>()], options.Components)
            : null;
        var layout = new Layout(data.Periods, data.Artists, data.Styles, data.Mediums, projection?.Components ?? 0);
        var areas = sold.Select(w => data.Works[w].LogArea).Where(double.IsFinite).ToList();
        var years = sold.Select(w => data.Works[w].YearScaled).Where(double.IsFinite).ToList();
        var model = new HedonicModel(layout, new double[layout.Columns], areas.Count > 0 ? areas.Average() : 0, years.Count > 0 ? years.Average() : 0, projection);

        var z = new Dictionary<int, double[]>();
        foreach (var w in sold)
        {
            z[w] = projection is not null && data.Works[w].Embedding is { } e ? projection.Project(e) : new double[layout.Images];
        }

        var folds = Enumerable.Range(0, options.Folds).Select(_ => new NormalEquations(layout.Columns)).ToArray();
        var index = new int[layout.MaxNonZero];
        var value = new double[layout.MaxNonZero];
        foreach (var sale in data.Sales)
        {
            var n = model.Row(data.Works[sale.Work], z[sale.Work], sale.Period, index, value);
            folds[FoldOf(sale.Work, options.Folds)].Add(index.AsSpan(0, n), value.AsSpan(0, n), sale.LogPrice);
        }

        var total = folds.Aggregate(new NormalEquations(layout.Columns), (sum, f) => sum.Plus(f));
        var training = folds.Select(f => total.Minus(f)).ToArray();
        var grid = layout.Images > 0 ? HedonicOptions.ImagePenalties : [0.0];
        var paths = training.Select(t => t.Rows > layout.Columns / 4 ? t.SolvePath(layout.Penalties(0), layout.Images0, grid) : null).ToArray();
        var best = (Penalty: double.NaN, Mse: double.PositiveInfinity, Residuals: new List<double>());
        for (var g = 0; g < grid.Count; g++)
        {
            var lambda = grid[g];
            var solutions = paths.Select(p => p?[g]).ToArray();
            var residuals = new List<double>(data.Sales.Count);
            foreach (var sale in data.Sales)
            {
                if (solutions[FoldOf(sale.Work, options.Folds)] is { } beta)
                {
                    var n = model.Row(data.Works[sale.Work], z[sale.Work], sale.Period, index, value);
                    residuals.Add(sale.LogPrice - Dot(beta, index, value, n));
                }
            }

            var mse = residuals.Count > 0 ? residuals.Average(r => r * r) : double.PositiveInfinity;
            if (mse < best.Mse || double.IsNaN(best.Penalty))
            {
                best = (lambda, mse, residuals);
            }
        }

        var final = total.Solve(layout.Penalties(best.Penalty));
        Array.Copy(final.Beta, model._beta, final.Beta.Length);
        model.ImagePenalty = best.Penalty;
        model.CrossValidatedRmse = Math.Sqrt(best.Mse);
        model.Lower80 = best.Residuals.Count >= 10 ? Band.Quantile(best.Residuals, 0.1) : -Band.Z80 * Math.Sqrt(final.Sigma2);
        model.Upper80 = best.Residuals.Count >= 10 ? Band.Quantile(best.Residuals, 0.9) : Band.Z80 * Math.Sqrt(final.Sigma2);
        model.Index = BuildIndex(data, final);
        return model;
    }

    /// <summary>The model's log price for <paramref name="work"/> sold in <paramref name="period"/>.</summary>
    public double Predict(MarketWork work, int period)
    {
        ArgumentNullException.ThrowIfNull(work);
        var index = new int[_layout.MaxNonZero];
        var value = new double[_layout.MaxNonZero];
        var z = Projection is not null && work.Embedding is { } e ? Projection.Project(e) : new double[_layout.Images];
        var n = Row(work, z, Math.Clamp(period, 0, _layout.Periods - 1), index, value);
        return Dot(_beta, index, value, n);
    }

    /// <summary>
    /// What moves this work's estimate away from the average work's, in log price: each driver's share of
    /// the prediction, largest first.
    /// </summary>
    public IReadOnlyList<(string Driver, double LogEffect)> Drivers(MarketWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var l = _layout;
        var drivers = new List<(string, double)>
        {
            ("the artist's record", work.Artist >= 0 ? _beta[l.Artist + work.Artist] : 0),
            ("the style", work.Style >= 0 ? _beta[l.Style + work.Style] : 0),
            ("the medium", work.Medium >= 0 ? _beta[l.Medium + work.Medium] : 0),
            ("its size", double.IsFinite(work.LogArea) ? _beta[l.Continuous] * (work.LogArea - _meanLogArea) : 0),
            ("when it was made", double.IsFinite(work.YearScaled) ? (_beta[l.Continuous + 1] * (work.YearScaled - _meanYear)) + (_beta[l.Continuous + 2] * Math.Pow(work.YearScaled - _meanYear, 2)) : 0),
        };
        if (Projection is not null && work.Embedding is { } e)
        {
            var z = Projection.Project(e);
            drivers.Add(("what it looks like", z.Select((v, c) => v * _beta[l.Images0 + c]).Sum()));
        }

        return [.. drivers.OrderByDescending(d => Math.Abs(d.Item2))];
    }

    internal static int FoldOf(int work, int folds) => (int)(((uint)work * 2654435761u >> 7) % (uint)folds);

    private static double Dot(double[] beta, int[] index, double[] value, int n)
    {
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += beta[index[i]] * value[i];
        }

        return sum;
    }

    private static PriceIndex BuildIndex(MarketData data, RidgeSolution solution)
    {
        var perPeriod = new int[data.Periods];
        foreach (var sale in data.Sales)
        {
            perPeriod[sale.Period]++;
        }

        var variances = solution.Variances([.. Enumerable.Range(1, data.Periods - 1)]);
        var points = new IndexPoint[data.Periods];
        points[0] = new IndexPoint(data.FirstYear, 0, 0, 0, perPeriod[0]);
        for (var t = 1; t < data.Periods; t++)
        {
            var se = Math.Sqrt(variances[t - 1]);
            points[t] = new IndexPoint(data.FirstYear + t, solution.Beta[t], solution.Beta[t] - (Band.Z80 * se), solution.Beta[t] + (Band.Z80 * se), perPeriod[t]);
        }

        var (enough, support) = Band.Judge(data.Sales.Count, perPeriod);
        return new PriceIndex(Name, points, data.Sales.Count, enough, support.Replace("observations", "sales", StringComparison.Ordinal));
    }

    private int Row(MarketWork work, double[] z, int period, int[] index, double[] value)
    {
        var l = _layout;
        var n = 0;
        void Put(int column, double v)
        {
            index[n] = column;
            value[n++] = v;
        }

        Put(0, 1);
        if (period > 0)
        {
            Put(period, 1);
        }

        if (work.Artist >= 0)
        {
            Put(l.Artist + work.Artist, 1);
        }

        if (work.Style >= 0)
        {
            Put(l.Style + work.Style, 1);
        }

        if (work.Medium >= 0)
        {
            Put(l.Medium + work.Medium, 1);
        }

        if (double.IsFinite(work.LogArea))
        {
            Put(l.Continuous, work.LogArea - _meanLogArea);
        }
        else
        {
            Put(l.Continuous + 3, 1);
        }

        if (double.IsFinite(work.YearScaled))
        {
            var y = work.YearScaled - _meanYear;
            Put(l.Continuous + 1, y);
            Put(l.Continuous + 2, y * y);
        }
        else
        {
            Put(l.Continuous + 4, 1);
        }

        for (var c = 0; c < l.Images; c++)
        {
            Put(l.Images0 + c, z[c]);
        }

        return n;
    }

    /// <summary>Where each group of columns starts.</summary>
    private sealed record Layout(int Periods, int Artists, int Styles, int Mediums, int Images)
    {
        public int Artist => Periods;

        public int Style => Artist + Artists;

        public int Medium => Style + Styles;

        public int Continuous => Medium + Mediums;

        public int Images0 => Continuous + HedonicModel.Continuous;

        public int Columns => Images0 + Images;

        public int MaxNonZero => 9 + Images;

        public double[] Penalties(double imagePenalty)
        {
            var penalty = new double[Columns];
            for (var j = 1; j < Columns; j++)
            {
                penalty[j] = j < Artist ? Tiny : j < Continuous ? GroupPenalty : j < Images0 ? Tiny : imagePenalty;
            }

            return penalty;
        }
    }
}
