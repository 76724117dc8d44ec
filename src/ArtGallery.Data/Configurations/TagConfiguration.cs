namespace ArtGallery.Data.Configurations;

public sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> builder)
    {
        builder.Property(t => t.Vocabulary).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Name).HasMaxLength(Tag.NameMaxLength);
        builder.Property(t => t.Slug).HasMaxLength(200);
        builder.HasIndex(t => new { t.Vocabulary, t.Slug }).IsUnique();
        builder.HasOne(t => t.Parent).WithMany().HasForeignKey(t => t.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ArtworkTagConfiguration : IEntityTypeConfiguration<ArtworkTag>
{
    public void Configure(EntityTypeBuilder<ArtworkTag> builder)
    {
        // A curator's tag and a model's suggestion of the same tag can coexist (and disagree).
        builder.HasKey(t => new { t.ArtworkId, t.TagId, t.Source });
        builder.Property(t => t.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.CreatedBy).HasMaxLength(450);
        builder.HasIndex(t => new { t.TagId, t.Status });
        builder.HasOne(t => t.Artwork).WithMany(a => a.Tags).HasForeignKey(t => t.ArtworkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Tag).WithMany(t => t.Artworks).HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}
