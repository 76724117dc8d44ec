using ArtGallery.Core.Infrastructure;

namespace ArtGallery.IntegrationTests;

public class MigrationTests
{
    [Fact]
    public async Task Migrations_ApplyFromEmpty_CreatingVectorExtensionAndHnswIndexes()
    {
        var database = await TestDatabase.CreateEmptyAsync("ag_migr");
        try
        {
            await using var services = TestDatabase.Services(database, Path.GetTempPath());
            await services.MigrateGalleryDatabaseAsync();

            await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var extension = await db.Database.SqlQuery<string>($"SELECT extversion AS \"Value\" FROM pg_extension WHERE extname = 'vector'").SingleAsync();
            Assert.False(string.IsNullOrEmpty(extension));
            var hnsw = await db.Database.SqlQuery<string>($"SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'Embeddings' AND indexdef LIKE '%hnsw%'").ToListAsync();
            Assert.Equal(2, hnsw.Count);
            Assert.All(hnsw, d => Assert.Contains("vector_cosine_ops", d, StringComparison.Ordinal));
            Assert.Equal(0, await db.Artworks.CountAsync());

            // Applying again is a no-op.
            await services.MigrateGalleryDatabaseAsync();
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }
}
