using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtGallery.Data.Configurations;

public sealed class ArtworkEmbeddingConfiguration : IEntityTypeConfiguration<ArtworkEmbedding>
{
    public void Configure(EntityTypeBuilder<ArtworkEmbedding> builder)
    {
        builder.HasKey(e => e.ArtworkId);
        builder.Property(e => e.EncoderVersion).HasMaxLength(100);
        builder.Property(e => e.Style).HasColumnType($"vector({ArtworkEmbedding.StyleDimensions})");
        builder.Property(e => e.Content).HasColumnType($"vector({ArtworkEmbedding.ContentDimensions})");
        builder.HasIndex(e => e.EncoderVersion);

        // HNSW with cosine distance: the embeddings are L2-normalised, queries order by CosineDistance.
        builder.HasIndex(e => e.Style).HasMethod("hnsw").HasOperators("vector_cosine_ops")
            .HasStorageParameter("m", 16).HasStorageParameter("ef_construction", 64);
        builder.HasIndex(e => e.Content).HasMethod("hnsw").HasOperators("vector_cosine_ops")
            .HasStorageParameter("m", 16).HasStorageParameter("ef_construction", 64);
    }
}
