using ArtGallery.Core.Studio;
using ArtGallery.Evaluation.Studio;

namespace ArtGallery.UnitTests.Studio;

public sealed class FrechetDistanceTests
{
    [Fact]
    public void Eigenvalues_OfAKnownSymmetricMatrix_AreExact()
    {
        var values = FrechetDistance.Eigenvalues(new double[,] { { 2, 1 }, { 1, 2 } }).Order().ToArray();
        Assert.Equal(1, values[0], 12);
        Assert.Equal(3, values[1], 12);
    }

    [Fact]
    public void SquareRoot_SquaresBackToTheMatrix_ForARandomCovariance()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, 40).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        var (_, cov) = FrechetDistance.Fit(rows);
        var root = FrechetDistance.SquareRoot(cov);
        var n = cov.GetLength(0);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var k = 0; k < n; k++)
                {
                    sum += root[i, k] * root[k, j];
                }

                // Entries are ~0.08; 1e-10 is far above double rounding after a converged Jacobi.
                Assert.Equal(cov[i, j], sum, 1e-10);
                Assert.Equal(root[i, j], root[j, i], 1e-12);
            }
        }
    }

    [Fact]
    public void Distance_OfASetToItself_IsZero()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 20).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        // tr Σ + tr Σ − 2 tr Σ cancels to rounding: ~1e-12 of traces near 1.7.
        Assert.Equal(0, FrechetDistance.Between(rows, rows), 1e-9);
    }

    [Fact]
    public void Distance_ForDiagonalCovariances_MatchesTheClosedForm()
    {
        // Sample covariances (n − 1 = 3): A diag(2/3, 8/3), B diag(6, 2/3), means (0, 0) and (5, 0).
        List<float[]> a = [[1, 0], [-1, 0], [0, 2], [0, -2]];
        List<float[]> b = [[8, 0], [2, 0], [5, 1], [5, -1]];
        var expected = 25 + Square(Math.Sqrt(2.0 / 3) - Math.Sqrt(6)) + Square(Math.Sqrt(8.0 / 3) - Math.Sqrt(2.0 / 3));
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-9);
    }

    [Fact]
    public void Distance_ForNonCommutingCovariances_MatchesTheTwoByTwoClosedForm()
    {
        // For 2×2 matrices tr √M = √(tr M + 2√det M), with M = Σ₁Σ₂ (similar to Σ₁^½Σ₂Σ₁^½).
        var random = new Random(11);
        var a = Enumerable.Range(0, 30).Select(_ => { var x = random.NextDouble(); return new[] { (float)x, (float)((2 * x) + random.NextDouble()) }; }).ToList();
        var b = Enumerable.Range(0, 30).Select(_ => { var x = random.NextDouble(); return new[] { (float)(x + 1), (float)(random.NextDouble() - x) }; }).ToList();
        var (ma, sa) = FrechetDistance.Fit(a);
        var (mb, sb) = FrechetDistance.Fit(b);
        var trM = (sa[0, 0] * sb[0, 0]) + (sa[0, 1] * sb[1, 0]) + (sa[1, 0] * sb[0, 1]) + (sa[1, 1] * sb[1, 1]);
        var det = ((sa[0, 0] * sa[1, 1]) - (sa[0, 1] * sa[1, 0])) * ((sb[0, 0] * sb[1, 1]) - (sb[0, 1] * sb[1, 0]));
        var expected = Square(ma[0] - mb[0]) + Square(ma[1] - mb[1]) + sa[0, 0] + sa[1, 1] + sb[0, 0] + sb[1, 1] - (2 * Math.Sqrt(trM + (2 * Math.Sqrt(det))));
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-9);
    }

    [Fact]
    public void Distance_GrowsWithTheShiftBetweenTwoSets()
    {
        var random = new Random(9);
        var baseSet = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        var near = baseSet.Select(r => r.Select(v => v + 0.1f).ToArray()).ToList();
        var far = baseSet.Select(r => r.Select(v => v + 1f).ToArray()).ToList();
        // A pure shift by δ in 8 dimensions moves only the mean term: 8δ².
        Assert.Equal(0.08, FrechetDistance.Between(baseSet, near), 1e-5);
        Assert.Equal(8, FrechetDistance.Between(baseSet, far), 1e-5);
    }

    [Fact]
    public void Fit_FewerThanTwoRows_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => FrechetDistance.Fit([[1f, 2f]]));
    }

    private static double Square(double x) => x * x;
}
