using System.Numerics.Tensors;

namespace ArtGallery.Evaluation.Search;

/// <summary>
/// Summary statistics of a set of embeddings that decide how hard it is for a nearest-neighbour
/// index: how similar everything is, how close each vector's nearest neighbour is, and in how many
/// directions the set really spreads. Used to compare synthetic vectors with real ones.
/// </summary>
public static class VectorSetStatistics
{
    /// <summary>Mean cosine over all pairs, mean and minimum cosine to each vector's nearest other vector.</summary>
    public static (double Mean, double MeanNearest, double MinNearest) Cosines(IReadOnlyList<float[]> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Count < 2)
        {
            throw new ArgumentException("need at least two vectors", nameof(set));
        }

        double sum = 0, nearestSum = 0, nearestMin = double.MaxValue;
        for (var i = 0; i < set.Count; i++)
        {
            var best = double.MinValue;
            for (var j = 0; j < set.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var c = TensorPrimitives.CosineSimilarity(set[i], set[j]);
                sum += c;
                best = Math.Max(best, c);
            }

            nearestSum += best;
            nearestMin = Math.Min(nearestMin, best);
        }

        return (sum / ((double)set.Count * (set.Count - 1)), nearestSum / set.Count, nearestMin);
    }

    /// <summary>
    /// (Σλ)² / Σλ² over the eigenvalues λ of the centred covariance: how many directions the set
    /// really spreads in (1 for points on a line, d for isotropic noise in d dimensions). Computed
    /// from the Gram matrix, as trace(C) ∝ Σ‖xᵢ‖² and trace(C²) ∝ Σ(xᵢ·xⱼ)², so no eigen-solver is needed.
    /// </summary>
    public static double ParticipationRatio(IReadOnlyList<float[]> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Count < 2)
        {
            throw new ArgumentException("need at least two vectors", nameof(set));
        }

        var dimensions = set[0].Length;
        var mean = new float[dimensions];
        foreach (var v in set)
        {
            TensorPrimitives.Add(mean, v, mean);
        }

        TensorPrimitives.Divide(mean, set.Count, mean);
        var centred = set.Select(v =>
        {
            var c = new float[dimensions];
            TensorPrimitives.Subtract(v, mean, c);
            return c;
        }).ToList();
        double trace = 0, traceSquared = 0;
        for (var i = 0; i < centred.Count; i++)
        {
            for (var j = 0; j < centred.Count; j++)
            {
                double dot = TensorPrimitives.Dot(centred[i], centred[j]);
                traceSquared += dot * dot;
                if (i == j)
                {
                    trace += dot;
                }
            }
        }

        return traceSquared == 0 ? 0 : trace * trace / traceSquared;
    }
}
