using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
        builder.HasIndex(e => e.At);
        builder.HasOne(e => e.Artwork).WithMany().HasForeignKey(e => e.ArtworkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Artist).WithMany().HasForeignKey(e => e.ArtistId).OnDelete(DeleteBehavior.Cascade);
    }
}
