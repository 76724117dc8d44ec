namespace ArtGallery.Data.Configurations;

public sealed class ArtworkTextConfiguration : IEntityTypeConfiguration<ArtworkText>
{
    public void Configure(EntityTypeBuilder<ArtworkText> builder)
    {
        builder.IsArtworkExtension("ArtworkTexts");
        builder.Property(t => t.EncoderVersion).HasMaxLength(100);
        builder.HasSearchableVector(t => t.Embedding, ArtworkText.Dimensions);

        // English stemming here (the artwork's own column is 'simple'): "storms" finds "stormy".
        builder.HasGeneratedTsVectorColumn(t => t.SearchVector, "english", t => new { t.Text })
            .HasIndex(t => t.SearchVector)
            .HasMethod("GIN");
    }
}

public sealed class ArtworkPaletteConfiguration : IEntityTypeConfiguration<ArtworkPalette>
{
    public void Configure(EntityTypeBuilder<ArtworkPalette> builder)
    {
        builder.IsArtworkExtension("ArtworkPalettes");
        builder.Property(p => p.Version).HasMaxLength(100);
        builder.HasSearchableVector(p => p.Histogram, ArtworkPalette.Dimensions);
    }
}
