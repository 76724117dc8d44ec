namespace ArtGallery.Data.Configurations;

public sealed class PoemCreationConfiguration : IEntityTypeConfiguration<PoemCreation>
{
    public void Configure(EntityTypeBuilder<PoemCreation> builder)
    {
        builder.Property(p => p.OwnerId).HasMaxLength(Creation.OwnerMaxLength);
        builder.Property(p => p.Title).HasMaxLength(PoemCreation.TitleMaxLength);
        builder.Property(p => p.Text).HasMaxLength(PoemCreation.TextMaxLength);
        builder.Property(p => p.Keywords).HasMaxLength(400);
        builder.Property(p => p.ParametersJson).HasColumnType("jsonb");
        builder.HasIndex(p => new { p.OwnerId, p.CreatedAt });
        builder.HasOne(p => p.SourceArtwork).WithMany().HasForeignKey(p => p.SourceArtworkId).OnDelete(DeleteBehavior.SetNull);
    }
}
