namespace ArtGallery.Data.Configurations;

public sealed class ArtworkEmbeddingConfiguration : IEntityTypeConfiguration<ArtworkEmbedding>
{
    public void Configure(EntityTypeBuilder<ArtworkEmbedding> builder)
    {
        builder.HasKey(e => e.ArtworkId);
        builder.Property(e => e.EncoderVersion).HasMaxLength(100);
        builder.HasSearchableVector(e => e.Style, ArtworkEmbedding.StyleDimensions);
        builder.HasSearchableVector(e => e.Content, ArtworkEmbedding.ContentDimensions);
        builder.HasIndex(e => e.EncoderVersion);

        // No vector index: the whole view is read per work by the recogniser, never searched.
        builder.HasVectorColumn(e => e.WholeView, ArtworkEmbedding.WholeViewDimensions);
        builder.Property(e => e.WholeVersion).HasMaxLength(100);
    }
}
