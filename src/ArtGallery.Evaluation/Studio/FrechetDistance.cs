using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ArtGallery.Evaluation.Studio;

/// <summary>
/// Fréchet distance between two Gaussians fitted to feature sets (Dowson and Landau 1982; the FID of
/// Heusel et al. 2017 on other features): ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½.
/// The matrix square roots come from MathNet.Numerics' symmetric eigen-decompositions, so they are
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

        if (features.Any(f => f.Length != features[0].Length))
        {
            throw new ArgumentException("Every feature vector must have the same length.", nameof(features));
        }

        var rows = Matrix<double>.Build.Dense(features.Count, features[0].Length, (i, j) => features[i][j]);
        var mean = rows.ColumnSums() / features.Count;
        var centred = rows - Matrix<double>.Build.Dense(rows.RowCount, rows.ColumnCount, (_, j) => mean[j]);
        var covariance = centred.TransposeThisAndMultiply(centred) / (features.Count - 1);
        return (mean.ToArray(), covariance.ToArray());
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
        private readonly Matrix<double> _sqrtCovariance;
        private readonly double _trace;

        private Reference(double[] mean, Matrix<double> sqrtCovariance, double trace)
        {
            _mean = mean;
            _sqrtCovariance = sqrtCovariance;
            _trace = trace;
        }

        public static Reference Of(IReadOnlyList<float[]> features)
        {
            var (mean, cov) = Fit(features);
            var covariance = Matrix<double>.Build.DenseOfArray(cov);
            return new Reference(mean, SquareRoot(covariance), covariance.Trace());
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
            var covariance = Matrix<double>.Build.DenseOfArray(cov);
            var inner = _sqrtCovariance * covariance * _sqrtCovariance;
            inner = (inner + inner.Transpose()) / 2;
            var cross = SymmetricEvd(inner).D.Diagonal().Sum(l => Math.Sqrt(Math.Max(l, 0)));
            return Math.Max(0, meanTerm + _trace + covariance.Trace() - (2 * cross));
        }
    }

    /// <summary>The PSD square root V diag(√max(λ, 0)) Vᵀ of a symmetric matrix.</summary>
    public static double[,] SquareRoot(double[,] symmetric) => SquareRoot(Square(symmetric)).ToArray();

    public static double[] Eigenvalues(double[,] symmetric) => SymmetricEvd(Square(symmetric)).D.Diagonal().ToArray();

    /// <summary>Eigenvalues and eigenvectors (columns) of a symmetric matrix.</summary>
    public static (double[] Values, double[,] Vectors) Eigen(double[,] symmetric)
    {
        var evd = SymmetricEvd(Square(symmetric));
        return (evd.D.Diagonal().ToArray(), evd.EigenVectors.ToArray());
    }

    private static Matrix<double> SquareRoot(Matrix<double> symmetric)
    {
        var evd = SymmetricEvd(symmetric);
        var roots = evd.D.Diagonal().Map(l => Math.Sqrt(Math.Max(l, 0)));
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * evd.EigenVectors.Transpose();
    }

    private static Evd<double> SymmetricEvd(Matrix<double> symmetric) => symmetric.Evd(Symmetricity.Symmetric);

    private static Matrix<double> Square(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(1) != matrix.GetLength(0))
        {
            throw new ArgumentException("The matrix must be square.", nameof(matrix));
        }

        return Matrix<double>.Build.DenseOfArray(matrix);
    }
}
