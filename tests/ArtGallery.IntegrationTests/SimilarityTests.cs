using ArtGallery.Core.Gallery;
using Pgvector;
using Pgvector.EntityFrameworkCore;

namespace ArtGallery.IntegrationTests;

/// <summary>pgvector search over the embedded demo collection (600 works).</summary>
public sealed class SimilarityTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    [Fact]
    public async Task DemoCollection_IsFullyEmbedded()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(TestDatabase.DemoCount, await db.Artworks.CountAsync());
        Assert.Equal(TestDatabase.DemoCount, await db.Embeddings.CountAsync());
    }

    [Theory]
    [InlineData(SimilarityKind.Style)]
    [InlineData(SimilarityKind.Content)]
    public async Task NearestNeighbourOfAWork_IsItself(SimilarityKind kind)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var sample = await db.Embeddings.OrderBy(e => e.ArtworkId).Where(e => e.ArtworkId % 37 == 0).ToListAsync();
        Assert.NotEmpty(sample);
        foreach (var work in sample)
        {
            var target = kind == SimilarityKind.Style ? work.Style : work.Content;
            var nearest = kind == SimilarityKind.Style
                ? await db.Embeddings.OrderBy(e => e.Style.CosineDistance(target)).Select(e => e.ArtworkId).FirstAsync()
                : await db.Embeddings.OrderBy(e => e.Content.CosineDistance(target)).Select(e => e.ArtworkId).FirstAsync();
            Assert.Equal(work.ArtworkId, nearest);
        }
    }

    [Theory]
    [InlineData("Style")]
    [InlineData("Content")]
    public async Task HnswIndex_AgreesWithAnExactScan(string column)
    {
        var dataSource = fixture.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        var queries = new List<(int Id, Vector V)>();
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT \"ArtworkId\", \"{column}\" FROM \"Embeddings\" WHERE \"ArtworkId\" % 12 = 0", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                queries.Add((reader.GetInt32(0), reader.GetFieldValue<Vector>(1)));
            }
        }

        async Task<List<int>> TopAsync(Vector v, bool exact)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using (var set = new Npgsql.NpgsqlCommand(exact ? "SET LOCAL enable_indexscan = off" : "SET LOCAL enable_seqscan = off", connection, tx))
            {
                await set.ExecuteNonQueryAsync();
            }

            await using var query = new Npgsql.NpgsqlCommand($"SELECT \"ArtworkId\" FROM \"Embeddings\" ORDER BY \"{column}\" <=> $1 LIMIT 10", connection, tx);
            query.Parameters.Add(new Npgsql.NpgsqlParameter { Value = v });
            var ids = new List<int>();
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt32(0));
            }

            return ids;
        }

        // The approximate side really is answered by the HNSW index.
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using (var set = new Npgsql.NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, tx))
            {
                await set.ExecuteNonQueryAsync();
            }

            await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN SELECT \"ArtworkId\" FROM \"Embeddings\" ORDER BY \"{column}\" <=> $1 LIMIT 10", connection, tx);
            explain.Parameters.Add(new Npgsql.NpgsqlParameter { Value = queries[0].V });
            var plan = string.Join('\n', await ReadAllAsync(explain));
            Assert.Contains($"IX_Embeddings_{column}", plan, StringComparison.Ordinal);
        }

        double hits = 0;
        foreach (var (_, v) in queries)
        {
            var approximate = await TopAsync(v, exact: false);
            var exact = await TopAsync(v, exact: true);
            hits += approximate.Intersect(exact).Count();
        }

        var recall = hits / (queries.Count * 10);
        // HNSW is approximate; at ef_search 40 over 600 vectors it should find nearly every true neighbour.
        Assert.True(recall >= 0.95, $"recall@10 = {recall:F3} over {queries.Count} queries");
    }

    [Fact]
    public async Task SimilarAsync_ExcludesTheWorkItself_OrdersByScore_AndPrefersItsOwnMovement()
    {
        var gallery = fixture.Services.GetRequiredService<GalleryService>();
        var page = await gallery.BrowseAsync(new ArtworkQuery { PageSize = 5, Sort = ArtworkSort.Title });
        foreach (var card in page.Items)
        {
            var similar = await gallery.SimilarAsync(card.Id, SimilarityKind.Style, 12);
            Assert.Equal(12, similar.Count);
            Assert.DoesNotContain(similar, s => s.Card.Id == card.Id);
            Assert.Equal(similar.Select(s => s.Score).OrderDescending(), similar.Select(s => s.Score));
            Assert.All(similar, s => Assert.InRange(s.Score, -1, 1.0001));
            Assert.True(similar.Count(s => s.Card.Style == card.Style) >= 9, $"{card.Title}: {string.Join(", ", similar.Select(s => s.Card.Style))}");
        }
    }

    [Theory]
    [InlineData(SimilarityKind.Style)]
    [InlineData(SimilarityKind.Content)]
    public async Task SimilarAsync_LeavesOutWorksEmbeddedByAnotherEncoderVersion(SimilarityKind kind)
    {
        // A collection half-way through re-embedding holds vectors of two encoders: the strips must
        // only rank works in the source work's own space.
        var gallery = fixture.Services.GetRequiredService<GalleryService>();
        var source = (await gallery.BrowseAsync(new ArtworkQuery { PageSize = 1, Sort = ArtworkSort.Title })).Items[0];
        var before = await gallery.SimilarAsync(source.Id, kind, 12);
        var stale = before.Take(3).Select(s => s.Card.Id).ToList();
        Assert.Equal(3, stale.Count);

        await using var db = await Contexts.CreateDbContextAsync();
        var versions = await db.Embeddings.Where(e => stale.Contains(e.ArtworkId)).ToDictionaryAsync(e => e.ArtworkId, e => e.EncoderVersion);
        await db.Embeddings.Where(e => stale.Contains(e.ArtworkId)).ExecuteUpdateAsync(u => u.SetProperty(e => e.EncoderVersion, "an-older-encoder"));
        try
        {
            var after = await gallery.SimilarAsync(source.Id, kind, 12);
            Assert.Equal(12, after.Count);
            Assert.DoesNotContain(after, s => stale.Contains(s.Card.Id));
        }
        finally
        {
            foreach (var (id, version) in versions)
            {
                await db.Embeddings.Where(e => e.ArtworkId == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.EncoderVersion, version));
            }
        }
    }

    private static async Task<List<string>> ReadAllAsync(Npgsql.NpgsqlCommand command)
    {
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
