using ArtGallery.Core.Studio;
using ArtGallery.Evaluation.Recognition;

namespace ArtGallery.Evaluation.Studio;

/// <summary>
/// Fréchet distance between two Gaussians fitted to feature sets (Dowson and Landau 1982; the FID of
/// Heusel et al. 2017 on other features): ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½.
/// The matrix square roots come from symmetric eigen-decompositions (cyclic Jacobi), so they are
/// exact up to rounding for the positive semi-definite covariances here, including singular ones.
/// </summary>
public static class FrechetDistance
{
    /// <summary>Mean and (unbiased, n − 1) covariance of row vectors, in double precision.</summary>
    public static (double[] Mean, double[,] Covariance) Fit(IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count < 2)
        {
            throw new ArgumentException("A covariance needs at least two feature vectors.", nameof(features));
        }

        var d = features[0].Length;
        var mean = new double[d];
        foreach (var f in features)
        {
            if (f.Length != d)
            {
                throw new ArgumentException("Every feature vector must have the same length.", nameof(features));
            }

            for (var i = 0; i < d; i++)
            {
                mean[i] += f[i];
            }
        }

        for (var i = 0; i < d; i++)
        {
            mean[i] /= features.Count;
        }

        var cov = new double[d, d];
        var centred = new double[d];
        foreach (var f in features)
        {
            for (var i = 0; i < d; i++)
            {
                centred[i] = f[i] - mean[i];
            }

            for (var i = 0; i < d; i++)
            {
                var ci = centred[i];
                for (var j = i; j < d; j++)
                {
                    cov[i, j] += ci * centred[j];
                }
            }
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                cov[i, j] /= features.Count - 1;
                cov[j, i] = cov[i, j];
            }
        }

        return (mean, cov);
    }

    /// <summary>The distance between two feature sets.</summary>
    public static double Between(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        var reference = Reference.Of(a);
        return reference.DistanceTo(b);
    }

    /// <summary>
    /// One side of the distance prepared once (its mean, trace and covariance square root), for
    /// comparing several sets with the same reference.
    /// </summary>
    public sealed class Reference
    {
        private readonly double[] _mean;
        private readonly double[,] _sqrtCovariance;
        private readonly double _trace;

        private Reference(double[] mean, double[,] sqrtCovariance, double trace)
        {
            _mean = mean;
            _sqrtCovariance = sqrtCovariance;
            _trace = trace;
        }

        public static Reference Of(IReadOnlyList<float[]> features)
        {
            var (mean, cov) = Fit(features);
            return new Reference(mean, SquareRoot(cov), Trace(cov));
        }

        public double DistanceTo(IReadOnlyList<float[]> features)
        {
            var (mean, cov) = Fit(features);
            if (mean.Length != _mean.Length)
            {
                throw new ArgumentException("Both feature sets must have the same dimension.", nameof(features));
            }

            double meanTerm = 0;
            for (var i = 0; i < mean.Length; i++)
            {
                var diff = mean[i] - _mean[i];
                meanTerm += diff * diff;
            }

            // tr sqrt(Σ₁ Σ₂) = tr sqrt(Σ₁^½ Σ₂ Σ₁^½): the latter is symmetric PSD, so its eigenvalues are real and ≥ 0.
            var inner = Multiply(Multiply(_sqrtCovariance, cov), _sqrtCovariance);
            Symmetrise(inner);
            var cross = Eigenvalues(inner).Sum(l => Math.Sqrt(Math.Max(l, 0)));
            return Math.Max(0, meanTerm + _trace + Trace(cov) - (2 * cross));
        }
    }

    /// <summary>The PSD square root V diag(√max(λ, 0)) Vᵀ of a symmetric matrix.</summary>
    public static double[,] SquareRoot(double[,] symmetric)
    {
        ArgumentNullException.ThrowIfNull(symmetric);
        var (values, vectors) = Eigen(symmetric);
        var n = values.Length;
        var root = new double[n, n];
        for (var k = 0; k < n; k++)
        {
            var s = Math.Sqrt(Math.Max(values[k], 0));
            if (s == 0)
            {
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                var vik = vectors[i, k] * s;
                for (var j = 0; j < n; j++)
                {
                    root[i, j] += vik * vectors[j, k];
                }
            }
        }

        return root;
    }

    public static double[] Eigenvalues(double[,] symmetric) => Jacobi(symmetric, wantVectors: false).Values;

    /// <summary>Eigenvalues and eigenvectors (columns) of a symmetric matrix.</summary>
    public static (double[] Values, double[,] Vectors) Eigen(double[,] symmetric)
    {
        var (values, vectors) = Jacobi(symmetric, wantVectors: true);
        return (values, vectors!);
    }

    /// <summary>
    /// Cyclic Jacobi rotations (Golub and Van Loan, Matrix Computations, §8.5) until the off-diagonal
    /// mass is negligible next to the diagonal; rotations use the stable tangent formula.
    /// </summary>
    private static (double[] Values, double[,]? Vectors) Jacobi(double[,] symmetric, bool wantVectors)
    {
        ArgumentNullException.ThrowIfNull(symmetric);
        var n = symmetric.GetLength(0);
        if (symmetric.GetLength(1) != n)
        {
            throw new ArgumentException("The matrix must be square.", nameof(symmetric));
        }

        var a = (double[,])symmetric.Clone();
        double[,]? v = null;
        if (wantVectors)
        {
            v = new double[n, n];
            for (var i = 0; i < n; i++)
            {
                v[i, i] = 1;
            }
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (var i = 0; i < n; i++)
            {
                diag += a[i, i] * a[i, i];
                for (var j = i + 1; j < n; j++)
                {
                    off += a[i, j] * a[i, j];
                }
            }

            // 1e-30 relative: the rotations have converged to double rounding; further sweeps change nothing.
            if (off <= 1e-30 * Math.Max(diag, double.Epsilon))
            {
                break;
            }

            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[p, q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * apq);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    if (v is not null)
                    {
                        for (var k = 0; k < n; k++)
                        {
                            var vkp = v[k, p];
                            var vkq = v[k, q];
                            v[k, p] = (c * vkp) - (s * vkq);
                            v[k, q] = (s * vkp) + (c * vkq);
                        }
                    }
                }
            }
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return (values, v);
    }

    private static double[,] Multiply(double[,] x, double[,] y)
    {
        var n = x.GetLength(0);
        var m = y.GetLength(1);
        var inner = x.GetLength(1);
        var result = new double[n, m];
        Parallel.For(0, n, i =>
        {
            for (var k = 0; k < inner; k++)
            {
                var xik = x[i, k];
                if (xik == 0)
                {
                    continue;
                }

                for (var j = 0; j < m; j++)
                {
                    result[i, j] += xik * y[k, j];
                }
            }
        });
        return result;
    }

    private static void Symmetrise(double[,] m)
    {
        var n = m.GetLength(0);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var mean = 0.5 * (m[i, j] + m[j, i]);
                m[i, j] = mean;
                m[j, i] = mean;
            }
        }
    }

    private static double Trace(double[,] m)
    {
        double t = 0;
        for (var i = 0; i < m.GetLength(0); i++)
        {
            t += m[i, i];
        }

        return t;
    }
}
