namespace ArtGallery.Data.Configurations;

public sealed class ImportRowConfiguration : IEntityTypeConfiguration<ImportRow>
{
    public void Configure(EntityTypeBuilder<ImportRow> builder)
    {
        // One result per row of a job: a resumed import that redoes a row cannot record it twice.
        builder.HasKey(r => new { r.JobId, r.Index });
        builder.Property(r => r.Source).HasMaxLength(2000);
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.HasOne(r => r.Job).WithMany().HasForeignKey(r => r.JobId).OnDelete(DeleteBehavior.Cascade);

        // The artwork may be deleted later; the report keeps the row.
        builder.HasOne<Artwork>().WithMany().HasForeignKey(r => r.ArtworkId).OnDelete(DeleteBehavior.SetNull);
    }
}
