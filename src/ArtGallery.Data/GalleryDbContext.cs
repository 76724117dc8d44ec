// Add a migration (from the repository root):
//   dotnet tool restore && dotnet ef migrations add <Name> --project migrations --startup-project migrations
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace ArtGallery.Data;

/// <summary>
/// The gallery's one database, accounts included: Identity's tables sit beside the works they tag and
/// collect, so a tag change and its audit row, or an account and its collections, share a transaction.
/// </summary>
public sealed class GalleryDbContext(DbContextOptions<GalleryDbContext> options) : IdentityDbContext<GalleryUser>(options)
{
    public DbSet<Artist> Artists => Set<Artist>();

    public DbSet<Artwork> Artworks => Set<Artwork>();

    public DbSet<Collection> Collections => Set<Collection>();

    public DbSet<CollectionItem> CollectionItems => Set<CollectionItem>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<ArtworkTag> ArtworkTags => Set<ArtworkTag>();

    public DbSet<ArtworkEmbedding> Embeddings => Set<ArtworkEmbedding>();

    public DbSet<ArtworkText> ArtworkTexts => Set<ArtworkText>();

    public DbSet<ArtworkPalette> ArtworkPalettes => Set<ArtworkPalette>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<ImportRow> ImportRows => Set<ImportRow>();

    public DbSet<TagAudit> TagAudits => Set<TagAudit>();

    public DbSet<EngagementEvent> Engagements => Set<EngagementEvent>();
    public DbSet<Creation> Creations => Set<Creation>();

    public DbSet<Sale> Sales => Set<Sale>();

    public DbSet<CurrencyRate> CurrencyRates => Set<CurrencyRate>();

    public DbSet<MarketAudit> MarketAudits => Set<MarketAudit>();

    public DbSet<PoemCreation> PoemCreations => Set<PoemCreation>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("vector");
        builder.ApplyConfigurationsFromAssembly(typeof(GalleryDbContext).Assembly);
    }
}
