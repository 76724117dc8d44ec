using MathNet.Numerics.LinearAlgebra;

namespace ArtGallery.Core.Market;

/// <summary>
/// XᵀWX and XᵀWy accumulated from sparse rows (a sale touches one artist, one period, one medium and a
/// few dense columns), so a million sales cost a million small outer products, never an n × p matrix.
/// Solved as ridge regression with a penalty per column by Math.NET's Cholesky factorisation.
/// </summary>
public sealed class NormalEquations
{
    private readonly double[] _xtx;
    private readonly double[] _xty;

    public NormalEquations(int columns)
    {
        Columns = columns;
        _xtx = new double[columns * columns];
        _xty = new double[columns];
    }

    public int Columns { get; }

    public int Rows { get; private set; }

    public double WeightedYty { get; private set; }

    public void Add(ReadOnlySpan<int> index, ReadOnlySpan<double> value, double y, double weight = 1)
    {
        for (var a = 0; a < index.Length; a++)
        {
            var wa = weight * value[a];
            var row = index[a] * Columns;
            for (var b = 0; b < index.Length; b++)
            {
                _xtx[row + index[b]] += wa * value[b];
            }

            _xty[index[a]] += wa * y;
        }

        WeightedYty += weight * y * y;
        Rows++;
    }

    /// <summary>This system minus <paramref name="part"/>: the training folds when <paramref name="part"/> is one fold.</summary>
    public NormalEquations Minus(NormalEquations part) => Combine(part, -1);

    /// <summary>This system plus <paramref name="part"/>'s rows.</summary>
    public NormalEquations Plus(NormalEquations part) => Combine(part, 1);

    private NormalEquations Combine(NormalEquations part, int sign)
    {
        ArgumentNullException.ThrowIfNull(part);
        var result = new NormalEquations(Columns) { Rows = Rows + (sign * part.Rows), WeightedYty = WeightedYty + (sign * part.WeightedYty) };
        for (var i = 0; i < _xtx.Length; i++)
        {
            result._xtx[i] = _xtx[i] + (sign * part._xtx[i]);
        }

        for (var i = 0; i < _xty.Length; i++)
        {
            result._xty[i] = _xty[i] + (sign * part._xty[i]);
        }

        return result;
    }

    /// <summary>
    /// Ridge coefficients for each of <paramref name="blockPenalties"/> applied to the trailing columns from
    /// <paramref name="blockStart"/> on (the image terms), the others keeping <paramref name="penalty"/>. The
    /// leading block is factored once and each penalty only costs a small Schur-complement solve, so a
    /// cross-validation path over many penalties costs about one fit even with thousands of artist columns.
    /// </summary>
    public IReadOnlyList<double[]> SolvePath(IReadOnlyList<double> penalty, int blockStart, IReadOnlyList<double> blockPenalties)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        ArgumentNullException.ThrowIfNull(blockPenalties);
        var (q, k) = (blockStart, Columns - blockStart);
        var b = Matrix<double>.Build.Dense(q, q, (i, j) => _xtx[(i * Columns) + j] + (i == j ? penalty[i] : 0));
        var c = Matrix<double>.Build.Dense(q, k, (i, j) => _xtx[(i * Columns) + q + j]);
        var d = Matrix<double>.Build.Dense(k, k, (i, j) => _xtx[((q + i) * Columns) + q + j]);
        var by = Vector<double>.Build.Dense(q, i => _xty[i]);
        var dy = Vector<double>.Build.Dense(k, i => _xty[q + i]);
        var factor = b.Cholesky();
        var binvB = factor.Solve(by);
        var binvC = k > 0 ? factor.Solve(c) : c;
        var schur = d - c.TransposeThisAndMultiply(binvC);
        var rhs = dy - c.TransposeThisAndMultiply(binvB);
        var result = new List<double[]>(blockPenalties.Count);
        foreach (var lambda in blockPenalties)
        {
            var gamma = k > 0 ? (schur + (lambda * Matrix<double>.Build.DenseIdentity(k))).Cholesky().Solve(rhs) : Vector<double>.Build.Dense(0);
            var lead = k > 0 ? binvB - (binvC * gamma) : binvB;
            result.Add([.. lead, .. gamma]);
        }

        return result;
    }

    /// <summary>Ridge solution with <paramref name="penalty"/>[j] added to the diagonal; also the factor for variances.</summary>
    public RidgeSolution Solve(IReadOnlyList<double> penalty)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        var a = Matrix<double>.Build.Dense(Columns, Columns, (i, j) => _xtx[(i * Columns) + j] + (i == j ? penalty[i] : 0));
        var cholesky = a.Cholesky();
        var beta = cholesky.Solve(Vector<double>.Build.DenseOfArray(_xty));
        var fitted = 0.0;
        for (var i = 0; i < Columns; i++)
        {
            var xb = 0.0;
            for (var j = 0; j < Columns; j++)
            {
                xb += _xtx[(i * Columns) + j] * beta[j];
            }

            fitted += beta[i] * ((2 * _xty[i]) - xb);
        }

        var rss = Math.Max(0, WeightedYty - fitted);
        var sigma2 = rss / Math.Max(1, Rows - Columns);
        return new RidgeSolution(beta.ToArray(), sigma2, cholesky);
    }
}

/// <summary>Coefficients, residual variance, and the factor of XᵀX + Λ for standard errors.</summary>
public sealed class RidgeSolution(double[] beta, double sigma2, MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> factor)
{
    public double[] Beta { get; } = beta;

    public double Sigma2 { get; } = sigma2;

    /// <summary>σ²·[(XᵀX + Λ)⁻¹]ⱼⱼ for each requested column: the (analytic) variance of an unpenalised coefficient.</summary>
    public double[] Variances(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var result = new double[columns.Count];
        var p = Beta.Length;
        for (var k = 0; k < columns.Count; k++)
        {
            var e = Vector<double>.Build.Dense(p);
            e[columns[k]] = 1;
            result[k] = Sigma2 * factor.Solve(e)[columns[k]];
        }

        return result;
    }
}
