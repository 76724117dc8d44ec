using MathNet.Numerics.LinearAlgebra;

namespace ArtGallery.Core.Market;

/// <summary>
/// Principal components of the style embeddings, standardised: the hedonic model sees a few dozen
/// directions of what works look like instead of a thousand, so a ridge penalty can shrink them as a
/// group. Fitted on at most <see cref="MaxSample"/> works (the covariance of a thousand dimensions needs
/// no more to find its leading directions).
/// </summary>
public sealed class EmbeddingProjection
{
    public const int MaxSample = 2000;

    private readonly double[] _mean;
    private readonly double[][] _components;
    private readonly double[] _scale;

    private EmbeddingProjection(double[] mean, double[][] components, double[] scale)
    {
        _mean = mean;
        _components = components;
        _scale = scale;
    }

    public int Components => _components.Length;

    public static EmbeddingProjection? Fit(IReadOnlyList<float[]> embeddings, int components)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Count < components + 2)
        {
            return null;
        }

        // An even stride through the works: deterministic, and spread over the whole list.
        var stride = Math.Max(1, (embeddings.Count + MaxSample - 1) / MaxSample);
        var sample = Enumerable.Range(0, embeddings.Count / stride).Select(i => embeddings[i * stride]).ToList();
        var d = sample[0].Length;
        var mean = new double[d];
        foreach (var e in sample)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += e[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= sample.Count;
        }

        var centred = Matrix<double>.Build.Dense(sample.Count, d, (i, j) => sample[i][j] - mean[j]);
        var covariance = centred.TransposeThisAndMultiply(centred) / Math.Max(1, sample.Count - 1);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var k = Math.Min(components, d);
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).Take(k).ToArray();
        var vectors = order.Select(i => evd.EigenVectors.Column(i).ToArray()).ToArray();
        var scale = order.Select(i => Math.Sqrt(Math.Max(evd.EigenValues[i].Real, 1e-12))).ToArray();
        return new EmbeddingProjection(mean, vectors, scale);
    }

    /// <summary>The embedding's standardised coordinates on the leading components.</summary>
    public double[] Project(float[] embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        var z = new double[_components.Length];
        for (var c = 0; c < z.Length; c++)
        {
            var component = _components[c];
            var sum = 0.0;
            for (var j = 0; j < component.Length; j++)
            {
                sum += (embedding[j] - _mean[j]) * component[j];
            }

            z[c] = sum / _scale[c];
        }

        return z;
    }
}
