using System.Numerics.Tensors;

namespace ArtGallery.Core.Search;

/// <summary>Unit-length copies of embeddings, so a dot product is their cosine.</summary>
public static class UnitVector
{
    /// <summary>A copy of <paramref name="vector"/> scaled to L2 norm 1; a zero vector stays zero.</summary>
    public static float[] Of(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }
}
