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

        builder.HasCosineHnswIndex(e => e.Style);
        builder.HasCosineHnswIndex(e => e.Content);
    }
}
