namespace ArtGallery.Data.Configurations;

public sealed class ArtworkConfiguration : IEntityTypeConfiguration<Artwork>
{
    public void Configure(EntityTypeBuilder<Artwork> builder)
    {
        builder.Property(a => a.Title).HasMaxLength(Artwork.TitleMaxLength);
        builder.Property(a => a.Medium).HasMaxLength(Artwork.MediumMaxLength);
        builder.Property(a => a.Dimensions).HasMaxLength(Artwork.DimensionsMaxLength);
        builder.Property(a => a.Credit).HasMaxLength(Artwork.CreditMaxLength);
        builder.Property(a => a.Licence).HasMaxLength(Artwork.LicenceMaxLength);
        builder.Property(a => a.Source).HasMaxLength(Artwork.SourceMaxLength);
        builder.Property(a => a.ImageSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(a => a.ImageFormat).HasMaxLength(20);

        // One record per image: imports are idempotent by content hash.
        builder.HasIndex(a => a.ImageSha256).IsUnique();
        builder.HasIndex(a => a.Year);
        // An artist's works newest first (the feed's followed-artists source reads a short range per artist); also the FK's index.
        builder.HasIndex(a => new { a.ArtistId, a.CreatedAt, a.Id }).IsDescending(false, true, true);

        builder.HasGeneratedTsVectorColumn(a => a.SearchVector, "simple", a => new { a.Title, a.Description, a.Medium })
            .HasIndex(a => a.SearchVector)
            .HasMethod("GIN");

        builder.HasOne(a => a.Artist).WithMany(a => a.Artworks).HasForeignKey(a => a.ArtistId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(a => a.Embedding).WithOne(e => e.Artwork).HasForeignKey<ArtworkEmbedding>(e => e.ArtworkId).OnDelete(DeleteBehavior.Cascade);
    }
}
