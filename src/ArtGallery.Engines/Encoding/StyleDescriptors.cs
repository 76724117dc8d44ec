using System.Numerics.Tensors;

namespace ArtGallery.Engines.Encoding;

/// <summary>
/// Descriptor maths on CNN activations (CHW, one image). The style embedding is built from
/// per-channel mean and standard deviation of early and middle layers — what the work looks like
/// (palette, brush, texture) independent of where things are; the content embedding is the pooled
/// deepest layer — what the work shows.
/// </summary>
public static class StyleDescriptors
{
    /// <summary>Per-channel mean and (population) standard deviation of a CHW activation map.</summary>
    public static void ChannelMoments(ReadOnlySpan<float> activations, int channels, Span<float> means, Span<float> stds)
    {
        if (channels <= 0 || activations.Length % channels != 0)
        {
            throw new ArgumentException($"{activations.Length} values do not split into {channels} channels.", nameof(activations));
        }

        var spatial = activations.Length / channels;
        for (var c = 0; c < channels; c++)
        {
            var plane = activations.Slice(c * spatial, spatial);
            var mean = TensorPrimitives.Sum(plane) / spatial;
            var meanSquare = TensorPrimitives.SumOfSquares(plane) / spatial;
            means[c] = mean;
            stds[c] = MathF.Sqrt(MathF.Max(0f, meanSquare - (mean * mean)));
        }
    }

    /// <summary>sign(x)·√|x|, in place: tames the peaky ReLU statistics so no channel dominates.</summary>
    public static void SignedSqrt(Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            values[i] = v >= 0 ? MathF.Sqrt(v) : -MathF.Sqrt(-v);
        }
    }

    /// <summary>Scales to unit L2 norm, in place; a zero vector stays zero.</summary>
    public static void L2Normalise(Span<float> values)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(values, norm, values);
        }
    }

    /// <summary>
    /// Style embedding from the layers' moments: for each layer the block [means, stds] is
    /// power-normalised and L2-normalised, so every layer weighs the same whatever its channel
    /// count, then the whole vector is L2-normalised for cosine search.
    /// </summary>
    public static float[] StyleEmbedding(IReadOnlyList<(float[] Means, float[] Stds)> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var length = layers.Sum(l => l.Means.Length + l.Stds.Length);
        var embedding = new float[length];
        var offset = 0;
        foreach (var (means, stds) in layers)
        {
            var block = embedding.AsSpan(offset, means.Length + stds.Length);
            means.CopyTo(block);
            stds.CopyTo(block[means.Length..]);
            SignedSqrt(block);
            L2Normalise(block);
            offset += block.Length;
        }

        L2Normalise(embedding);
        return embedding;
    }

    /// <summary>Content embedding: global-average-pooled deep features, power- and L2-normalised.</summary>
    public static float[] ContentEmbedding(ReadOnlySpan<float> pooled)
    {
        var embedding = pooled.ToArray();
        SignedSqrt(embedding);
        L2Normalise(embedding);
        return embedding;
    }

    public static float CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.CosineSimilarity(a, b);
}
