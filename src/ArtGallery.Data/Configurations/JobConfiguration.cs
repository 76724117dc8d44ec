namespace ArtGallery.Data.Configurations;

public sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.Property(j => j.Kind).HasMaxLength(50);
        builder.Property(j => j.DedupKey).HasMaxLength(200);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.Payload).HasColumnType("jsonb");
        builder.Property(j => j.Owner).HasMaxLength(200);
        builder.Property(j => j.RequestedBy).HasMaxLength(450);
        builder.Property(j => j.Version).IsRowVersion();
        builder.HasIndex(j => new { j.State, j.Kind });

        // At most one unfinished job per dedup key.
        builder.HasIndex(j => j.DedupKey).IsUnique().HasFilter("\"State\" IN ('Queued', 'Running')");
    }
}
