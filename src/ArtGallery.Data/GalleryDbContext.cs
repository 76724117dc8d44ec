// Add a migration (from the repository root):
//   dotnet tool restore && dotnet ef migrations add <Name> --project migrations --startup-project migrations
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace ArtGallery.Data;

public sealed class GalleryDbContext(DbContextOptions<GalleryDbContext> options) : DbContext(options)
{
    public DbSet<Artist> Artists => Set<Artist>();

    public DbSet<Artwork> Artworks => Set<Artwork>();

    public DbSet<Collection> Collections => Set<Collection>();

    public DbSet<CollectionItem> CollectionItems => Set<CollectionItem>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<ArtworkTag> ArtworkTags => Set<ArtworkTag>();

    public DbSet<ArtworkEmbedding> Embeddings => Set<ArtworkEmbedding>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<ImportRow> ImportRows => Set<ImportRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasPostgresExtension("vector");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GalleryDbContext).Assembly);
    }
}
