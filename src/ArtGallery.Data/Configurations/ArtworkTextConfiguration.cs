namespace ArtGallery.Data.Configurations;

public sealed class ArtworkTextConfiguration : IEntityTypeConfiguration<ArtworkText>
{
    public void Configure(EntityTypeBuilder<ArtworkText> builder)
    {
        builder.ToTable("ArtworkTexts");
        builder.IsArtworkExtension();
        builder.Property(t => t.EncoderVersion).HasMaxLength(100);
        builder.Property(t => t.Embedding).HasColumnType($"vector({ArtworkText.Dimensions})");

        // English stemming here (the artwork's own column is 'simple'): "storms" finds "stormy".
        builder.HasGeneratedTsVectorColumn(t => t.SearchVector, "english", t => new { t.Text })
            .HasIndex(t => t.SearchVector)
            .HasMethod("GIN");

        builder.HasCosineHnswIndex(t => t.Embedding);
    }
}

public sealed class ArtworkPaletteConfiguration : IEntityTypeConfiguration<ArtworkPalette>
{
    public void Configure(EntityTypeBuilder<ArtworkPalette> builder)
    {
        builder.ToTable("ArtworkPalettes");
        builder.IsArtworkExtension();
        builder.Property(p => p.Version).HasMaxLength(100);
        builder.Property(p => p.Histogram).HasColumnType($"vector({ArtworkPalette.Dimensions})");
        builder.HasCosineHnswIndex(p => p.Histogram);
    }
}
