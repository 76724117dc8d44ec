namespace ArtGallery.Data.Configurations;

public sealed class ArtistConfiguration : IEntityTypeConfiguration<Artist>
{
    public void Configure(EntityTypeBuilder<Artist> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(Artist.NameMaxLength);
        builder.Property(a => a.Slug).HasMaxLength(300);
        builder.Property(a => a.Nationality).HasMaxLength(100);
        builder.HasIndex(a => a.Slug).IsUnique();
    }
}
