namespace ArtGallery.Data.Configurations;

public sealed class SaleConfiguration : IEntityTypeConfiguration<Sale>
{
    public void Configure(EntityTypeBuilder<Sale> builder)
    {
        builder.ToTable("Sales");
        builder.Property(s => s.Venue).HasMaxLength(200);
        builder.Property(s => s.VenueKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Lot).HasMaxLength(50);
        builder.Property(s => s.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(s => s.Price).HasPrecision(18, 2);
        builder.Property(s => s.EstimateLow).HasPrecision(18, 2);
        builder.Property(s => s.EstimateHigh).HasPrecision(18, 2);
        builder.Property(s => s.NaturalKey).HasMaxLength(400);
        builder.HasIndex(s => s.NaturalKey).IsUnique();
        builder.HasIndex(s => new { s.ArtworkId, s.SaleDate });
        builder.HasOne(s => s.Artwork).WithMany().HasForeignKey(s => s.ArtworkId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CurrencyRateConfiguration : IEntityTypeConfiguration<CurrencyRate>
{
    public void Configure(EntityTypeBuilder<CurrencyRate> builder)
    {
        builder.ToTable("CurrencyRates");
        builder.Property(r => r.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(r => r.ToBase).HasPrecision(18, 8);
        builder.HasIndex(r => new { r.Currency, r.ValidFrom }).IsUnique();
    }
}

public sealed class MarketAuditConfiguration : IEntityTypeConfiguration<MarketAudit>
{
    public void Configure(EntityTypeBuilder<MarketAudit> builder)
    {
        builder.ToTable("MarketAudits");
        builder.Property(a => a.Entity).HasMaxLength(20);
        builder.Property(a => a.EntityKey).HasMaxLength(400);
        builder.Property(a => a.Action).HasMaxLength(20);
        builder.Property(a => a.Detail).HasMaxLength(1000);
        builder.Property(a => a.ActorId).HasMaxLength(450);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.HasIndex(a => a.At);
    }
}
