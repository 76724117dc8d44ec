using System.Linq.Expressions;

namespace ArtGallery.Data.Configurations;

/// <summary>How the gallery indexes every vector column, written once.</summary>
internal static class VectorIndexes
{
    /// <summary>
    /// HNSW with cosine distance: every stored vector is L2-normalised and queries order by
    /// <c>&lt;=&gt;</c> (<c>CosineDistance</c>); m 16 and ef_construction 64 for every index.
    /// </summary>
    public static IndexBuilder<T> HasCosineHnswIndex<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, object?>> vector)
        where T : class =>
        builder.HasIndex(vector).HasMethod("hnsw").HasOperators("vector_cosine_ops")
            .HasStorageParameter("m", 16).HasStorageParameter("ef_construction", 64);
}
