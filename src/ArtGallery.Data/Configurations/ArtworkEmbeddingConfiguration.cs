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

        // No vector index: the whole view is read per work by the recogniser, never searched.
        builder.Property(e => e.WholeView).HasColumnType($"vector({ArtworkEmbedding.WholeViewDimensions})");
        builder.Property(e => e.WholeVersion).HasMaxLength(100);

        builder.HasCosineHnswIndex(e => e.Style);
        builder.HasCosineHnswIndex(e => e.Content);
    }
}
