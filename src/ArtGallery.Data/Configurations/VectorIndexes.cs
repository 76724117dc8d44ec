using System.Linq.Expressions;
using Pgvector;

namespace ArtGallery.Data.Configurations;

/// <summary>How the gallery stores and indexes every vector column, written once.</summary>
internal static class VectorIndexes
{
    /// <summary>A pgvector column of <paramref name="dimensions"/> dimensions, without an index (read per row, never searched).</summary>
    public static PropertyBuilder<Vector?> HasVectorColumn<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, Vector?>> vector, int dimensions)
        where T : class =>
        builder.Property(vector).HasColumnType($"vector({dimensions})");

    /// <summary>A pgvector column that searches order by: the column and its <see cref="HasCosineHnswIndex{T}"/>.</summary>
    public static IndexBuilder<T> HasSearchableVector<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, Vector?>> vector, int dimensions)
        where T : class
    {
        builder.HasVectorColumn(vector, dimensions);
        return builder.HasCosineHnswIndex(vector);
    }

    /// <summary>
    /// HNSW with cosine distance: every stored vector is L2-normalised and queries order by
    /// <c>&lt;=&gt;</c> (<c>CosineDistance</c>); m 16 and ef_construction 64 for every index.
    /// </summary>
    public static IndexBuilder<T> HasCosineHnswIndex<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, Vector?>> vector)
        where T : class =>
        builder.HasIndex(Boxed(vector)).HasMethod("hnsw").HasOperators("vector_cosine_ops")
            .HasStorageParameter("m", 16).HasStorageParameter("ef_construction", 64);

    private static Expression<Func<T, object?>> Boxed<T>(Expression<Func<T, Vector?>> vector) =>
        Expression.Lambda<Func<T, object?>>(vector.Body, vector.Parameters);
}
