using System.Numerics.Tensors;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// Says when an input is unlike everything the recogniser learned from, so the app can answer
/// "not like any style here" instead of a confident softmax over styles that do not apply (a softmax
/// always sums to one, whatever it is shown). The score is the cosine similarity to the nearest
/// training work; the threshold is a low quantile of the same score for training works against the
/// others (leave-one-out), so by construction only that share of works like the training set is
/// flagged. Features are centred on the training mean first: the ReLU descriptors are all positive,
/// so raw cosines crowd near 1 and separate little.
/// </summary>
public sealed class NoveltyDetector
{
    /// <summary>Training works kept as references: the leave-one-out pass is quadratic in this.</summary>
    public const int MaxReferences = 1500;

    private readonly float[][] _references;
    private readonly float[] _mean;

    private NoveltyDetector(float[][] references, float[] mean, float threshold)
    {
        _references = references;
        _mean = mean;
        Threshold = threshold;
    }

    /// <summary>Inputs whose nearest-reference similarity is below this are novel.</summary>
    public float Threshold { get; }

    /// <summary>
    /// Learns the references and the threshold from <paramref name="features"/>;
    /// <paramref name="quantile"/> is the share of training-like inputs that will be called novel.
    /// </summary>
    public static NoveltyDetector Fit(IReadOnlyList<float[]> features, double quantile = 0.01)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count < 2)
        {
            throw new ArgumentException("Novelty needs at least two reference works.", nameof(features));
        }

        var mean = new float[features[0].Length];
        foreach (var f in features)
        {
            TensorPrimitives.Add(mean, f, mean);
        }

        TensorPrimitives.Divide(mean, features.Count, mean);

        // An even spread over the set when it is larger than the cap (labels are grouped, so not a prefix).
        var step = Math.Max(1.0, features.Count / (double)MaxReferences);
        var references = Enumerable.Range(0, Math.Min(features.Count, MaxReferences))
            .Select(i => Centred(features[(int)(i * step)], mean)).ToArray();
        var nearest = new float[references.Length];
        for (var i = 0; i < references.Length; i++)
        {
            var best = float.NegativeInfinity;
            for (var j = 0; j < references.Length; j++)
            {
                if (i != j)
                {
                    best = MathF.Max(best, TensorPrimitives.Dot(references[i], references[j]));
                }
            }

            nearest[i] = best;
        }

        Array.Sort(nearest);
        var index = (int)Math.Clamp(Math.Floor(quantile * nearest.Length), 0, nearest.Length - 1);
        return new NoveltyDetector(references, mean, nearest[index]);
    }

    /// <summary>Cosine similarity of <paramref name="features"/> to the nearest reference work.</summary>
    public float Similarity(ReadOnlySpan<float> features)
    {
        var query = Centred(features.ToArray(), _mean);
        var best = float.NegativeInfinity;
        foreach (var reference in _references)
        {
            best = MathF.Max(best, TensorPrimitives.Dot(reference, query));
        }

        return best;
    }

    public bool IsNovel(ReadOnlySpan<float> features) => Similarity(features) < Threshold;

    private static float[] Centred(float[] vector, float[] mean)
    {
        var copy = new float[vector.Length];
        TensorPrimitives.Subtract(vector, mean, copy);
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }
}
