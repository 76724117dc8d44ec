namespace ArtGallery.Data.Configurations;

public sealed class EngagementEventConfiguration : IEntityTypeConfiguration<EngagementEvent>
{
    public void Configure(EntityTypeBuilder<EngagementEvent> builder)
    {
        builder.ToTable("Engagements", t => t.HasCheckConstraint("CK_Engagements_Target", "\"ArtworkId\" IS NOT NULL OR \"ArtistId\" IS NOT NULL"));
        builder.Property(e => e.VisitorKey).HasMaxLength(460);
        builder.Property(e => e.Kind).HasConversion<short>();

        // A visitor's history in order (the taste profile), and a work's engagements by kind (co-engagement, trending).
        builder.HasIndex(e => new { e.VisitorKey, e.Id });
        builder.HasIndex(e => new { e.ArtworkId, e.Kind });

        // A visitor's likes and saves, newest first: co-engagement reads 50 of them per peer. Without it the planner
        // walks the primary key backwards through everyone's events until 50 of that visitor's turn up.
        builder.HasIndex(e => new { e.VisitorKey, e.Id }, "IX_Engagements_Positive")
            .HasFilter($"\"Kind\" IN ({(short)EngagementKind.Like}, {(short)EngagementKind.Save})");
        builder.HasIndex(e => e.At);
        builder.HasOne(e => e.Artwork).WithMany().HasForeignKey(e => e.ArtworkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Artist).WithMany().HasForeignKey(e => e.ArtistId).OnDelete(DeleteBehavior.Cascade);
    }
}
