namespace ArtGallery.Data.Configurations;

public sealed class TagAuditConfiguration : IEntityTypeConfiguration<TagAudit>
{
    public void Configure(EntityTypeBuilder<TagAudit> builder)
    {
        builder.ToTable("TagAudits");
        builder.Property(a => a.Action).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.ActorId).HasMaxLength(450);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.HasIndex(a => new { a.ArtworkId, a.At });
        builder.HasOne(a => a.Artwork).WithMany().HasForeignKey(a => a.ArtworkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.Tag).WithMany().HasForeignKey(a => a.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}
