using System.Numerics.Tensors;
using ArtGallery.Core.Search;

namespace ArtGallery.Evaluation.Recognition;

/// <summary>
/// k-nearest-neighbour vote by cosine similarity, each neighbour weighted by exp(similarity / τ):
/// the baseline the softmax head is measured against, and what "similar works" does implicitly.
/// </summary>
public sealed class KnnClassifier(IReadOnlyList<float[]> features, IReadOnlyList<string> labels, int k = 10, float tau = 0.05f)
{
    private readonly float[][] _features = [.. features.Select(f => UnitVector.Of(f))];
    private readonly string[] _classes = [.. labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> Classes => _classes;

    public float[] Predict(ReadOnlySpan<float> features)
    {
        var query = UnitVector.Of(features);
        var similarities = _features.Select((f, i) => (Similarity: TensorPrimitives.Dot(f, query), Index: i))
            .OrderByDescending(s => s.Similarity).Take(k);
        var votes = new float[_classes.Length];
        foreach (var (similarity, index) in similarities)
        {
            votes[Array.BinarySearch(_classes, labels[index], StringComparer.Ordinal)] += MathF.Exp((similarity - 1) / tau);
        }

        TensorPrimitives.Divide(votes, Math.Max(TensorPrimitives.Sum(votes), 1e-20f), votes);
        return votes;
    }
}
