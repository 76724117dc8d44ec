namespace ArtGallery.Data.Configurations;

public sealed class CreationConfiguration : IEntityTypeConfiguration<Creation>
{
    public void Configure(EntityTypeBuilder<Creation> builder)
    {
        builder.Property(c => c.OwnerId).HasMaxLength(Creation.OwnerMaxLength);
        builder.Property(c => c.Kind).HasMaxLength(40);
        builder.Property(c => c.Title).HasMaxLength(300);
        builder.Property(c => c.ParametersJson).HasColumnType("jsonb");
        builder.Property(c => c.ImageSha256).HasMaxLength(64);
        builder.Property(c => c.EncoderVersion).HasMaxLength(100);

        // Creations are query vectors for the works' HNSW indexes, never searched themselves: no index.
        builder.HasVectorColumn(c => c.Style, ArtworkEmbedding.StyleDimensions);
        builder.HasVectorColumn(c => c.Content, ArtworkEmbedding.ContentDimensions);
        builder.HasIndex(c => new { c.OwnerId, c.CreatedAt });
        builder.HasOne(c => c.SourceArtwork).WithMany().HasForeignKey(c => c.SourceArtworkId).OnDelete(DeleteBehavior.SetNull);
    }
}
