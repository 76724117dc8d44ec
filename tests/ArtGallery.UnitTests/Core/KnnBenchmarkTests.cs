using System.Numerics.Tensors;
using ArtGallery.Core.Search;
using ArtGallery.Evaluation;
using ArtGallery.Evaluation.Search;

namespace ArtGallery.UnitTests.Core;

public class KnnBenchmarkTests
{
    private const int Dims = SyntheticStyleVectors.Dimensions;

    [Fact]
    public void SyntheticStyleVectors_Catalogue_IsUnitLengthNonNegativeAndBlockNormalised()
    {
        var generator = new SyntheticStyleVectors(seed: 42);
        var v = new float[Dims];
        generator.Catalogue(123, v);

        // Float rounding over 1024 terms: 1e-4 is far tighter than any real normalisation bug.
        Assert.Equal(1.0, TensorPrimitives.Norm(v), 1e-4);
        Assert.True(TensorPrimitives.Min(v) >= 0, "softplus then square root keeps every coordinate non-negative");

        // Each block was L2-normalised before the whole vector, so the four blocks weigh the same.
        var blockNorms = new[] { (0, 128), (128, 128), (256, 256), (512, 512) }
            .Select(b => TensorPrimitives.Norm(v.AsSpan(b.Item1, b.Item2))).ToArray();
        Assert.All(blockNorms, n => Assert.Equal(0.5, n, 1e-4));
    }

    [Fact]
    public void SyntheticStyleVectors_SameSeedAndIndex_SameVectorWhateverTheOrder()
    {
        var a = new float[Dims];
        var b = new float[Dims];
        var other = new SyntheticStyleVectors(seed: 42);
        other.Catalogue(999, b);
        new SyntheticStyleVectors(seed: 42).Catalogue(7, a);
        new SyntheticStyleVectors(seed: 42).Catalogue(999, a);

        Assert.Equal(a, b);
    }

    [Fact]
    public void SyntheticStyleVectors_QueriesAreHeldOut_NotCopiesOfCatalogueRows()
    {
        var generator = new SyntheticStyleVectors(seed: 42);
        var query = new float[Dims];
        var row = new float[Dims];
        generator.Query(5, query);
        generator.Catalogue(5, row);

        Assert.True(TensorPrimitives.Dot(query, row) < 0.9999f);
    }

    [Fact]
    public void SyntheticStyleVectors_Catalogue_HasNeighbourhoods_UnlikeUniformRandom()
    {
        // Clusters in a low-rank space: a vector's nearest neighbour among 300 is much closer than
        // the typical pair. Uniform random unit vectors in 1024 dimensions would show no such gap.
        var generator = new SyntheticStyleVectors(seed: 1);
        var set = Enumerable.Range(0, 300).Select(i =>
        {
            var v = new float[Dims];
            generator.Catalogue(i, v);
            return v;
        }).ToArray();

        double typical = 0, nearest = 0;
        for (var i = 0; i < set.Length; i++)
        {
            var best = float.MinValue;
            for (var j = 0; j < set.Length; j++)
            {
                if (i != j)
                {
                    var c = TensorPrimitives.Dot(set[i], set[j]);
                    typical += c;
                    best = Math.Max(best, c);
                }
            }

            nearest += best;
        }

        typical /= set.Length * (set.Length - 1.0);
        nearest /= set.Length;
        Assert.True(1 - nearest < (1 - typical) / 3, $"1-NN distance {1 - nearest:F4} vs typical {1 - typical:F4}");
    }

    [Fact]
    public void NormaliseLikeStyleDescriptor_MatchesTheProductsStyleEmbedding()
    {
        var random = new Random(3);
        var raw = Enumerable.Range(0, Dims).Select(_ => (float)random.NextDouble()).ToArray();
        var layers = new[] { (0, 64), (128, 64), (256, 128), (512, 256) }
            .Select(l => (Means: raw[l.Item1..(l.Item1 + l.Item2)], Stds: raw[(l.Item1 + l.Item2)..(l.Item1 + (2 * l.Item2))]))
            .ToList();
        var product = ArtGallery.Engines.Encoding.StyleDescriptors.StyleEmbedding(layers);

        SyntheticStyleVectors.NormaliseLikeStyleDescriptor(raw);

        // Same operations in the same order; only float summation order may differ.
        for (var i = 0; i < Dims; i++)
        {
            Assert.Equal(product[i], raw[i], 1e-6f);
        }
    }

    [Fact]
    public void ExactScan_KeepsTheTopKAndTheFilteredTopK()
    {
        const int dims = 4;
        float[] rows = [1, 0, 0, 0, 0.9f, 0.1f, 0, 0, 0, 1, 0, 0, 0.8f, 0.2f, 0, 0, -1, 0, 0, 0];
        var queries = new List<float[]> { new float[] { 1, 0, 0, 0 } };
        var all = new[] { new TopK(2) };
        var filtered = new[] { new TopK(2) };

        // Rows 100..104; the filter keeps odd ids only.
        KnnMetrics.ExactScan(rows, 100, dims, queries, all, filtered, id => (int)(id % 2), _ => 1);

        Assert.Equal(new long[] { 100, 101 }, all[0].Ids.ToArray());
        Assert.Equal(new long[] { 101, 103 }, filtered[0].Ids.ToArray());
    }

    [Fact]
    public void Recall_CountsTrueNeighboursFound_OverK()
    {
        long[] truth = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(1.0, KnnMetrics.Recall(truth, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 10));
        Assert.Equal(0.7, KnnMetrics.Recall(truth, [1, 2, 3, 4, 5, 6, 7, 42, 43, 44], 10), 1e-12);

        // A short answer (a filter that ran dry) is penalised: missing rows count as misses.
        Assert.Equal(0.3, KnnMetrics.Recall(truth, [1, 2, 3], 10), 1e-12);
    }

    [Fact]
    public void Percentile_InterpolatesLikeNumpy()
    {
        double[] values = [5, 1, 4, 2, 3];

        Assert.Equal(3, Timing.Percentile(values, 50));
        Assert.Equal(4.96, Timing.Percentile(values, 99), 1e-9);
    }

    [Fact]
    public void ParticipationRatio_CountsTheDirectionsASetSpreadsIn()
    {
        var random = new Random(11);
        float[] Point(int directions) => [.. Enumerable.Range(0, 8).Select(d => d < directions ? (float)(random.NextDouble() - 0.5) : 0f)];

        var line = Enumerable.Range(0, 400).Select(_ => Point(1)).ToList();
        var square = Enumerable.Range(0, 400).Select(_ => Point(2)).ToList();

        // Sampling noise over 400 points: well within ±0.2 of the true 1 and 2.
        Assert.Equal(1.0, VectorSetStatistics.ParticipationRatio(line), 0.2);
        Assert.Equal(2.0, VectorSetStatistics.ParticipationRatio(square), 0.2);
    }
}
