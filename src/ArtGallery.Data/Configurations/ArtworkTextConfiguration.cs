namespace ArtGallery.Data.Configurations;

public sealed class ArtworkTextConfiguration : IEntityTypeConfiguration<ArtworkText>
{
    public void Configure(EntityTypeBuilder<ArtworkText> builder)
    {
        builder.ToTable("ArtworkTexts");
        builder.HasKey(t => t.ArtworkId);
        builder.Property(t => t.EncoderVersion).HasMaxLength(100);
        builder.Property(t => t.Embedding).HasColumnType($"vector({ArtworkText.Dimensions})");
        builder.HasOne(t => t.Artwork).WithOne().HasForeignKey<ArtworkText>(t => t.ArtworkId).OnDelete(DeleteBehavior.Cascade);

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
        builder.HasKey(p => p.ArtworkId);
        builder.Property(p => p.Version).HasMaxLength(100);
        builder.Property(p => p.Histogram).HasColumnType($"vector({ArtworkPalette.Dimensions})");
        builder.HasOne(p => p.Artwork).WithOne().HasForeignKey<ArtworkPalette>(p => p.ArtworkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasCosineHnswIndex(p => p.Histogram);
    }
}
