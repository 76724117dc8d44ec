namespace ArtGallery.Data.Configurations;

public sealed class CollectionConfiguration : IEntityTypeConfiguration<Collection>
{
    public void Configure(EntityTypeBuilder<Collection> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(300);
        builder.Property(c => c.Slug).HasMaxLength(300);
        builder.Property(c => c.OwnerId).HasMaxLength(450);
        builder.HasIndex(c => c.Slug).IsUnique();
        builder.HasOne(c => c.CoverArtwork).WithMany().HasForeignKey(c => c.CoverArtworkId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class CollectionItemConfiguration : IEntityTypeConfiguration<CollectionItem>
{
    public void Configure(EntityTypeBuilder<CollectionItem> builder)
    {
        builder.HasKey(i => new { i.CollectionId, i.ArtworkId });
        builder.HasIndex(i => new { i.CollectionId, i.Position });
        builder.HasIndex(i => i.ArtworkId);
        builder.HasOne(i => i.Collection).WithMany(c => c.Items).HasForeignKey(i => i.CollectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(i => i.Artwork).WithMany(a => a.CollectionItems).HasForeignKey(i => i.ArtworkId).OnDelete(DeleteBehavior.Cascade);
    }
}
