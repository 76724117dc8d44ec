using System.Globalization;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtGallery.IntegrationTests;

/// <summary>Find similar and search by photo over the embedded demo collection (600 works, 10 movements).</summary>
public sealed class SimilarSearchTests(DemoDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    private const int K = 12;

    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    private SimilarSearchService Search => fixture.Services.GetRequiredService<SimilarSearchService>();

    public enum FilterKind
    {
        Movement,
        Artist,
        Collection,
    }

    private sealed record DemoWork(int Id, int ArtistId, string Movement, int CollectionId, string Sha);

    private async Task<List<DemoWork>> WorksAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var works = await db.Artworks.OrderBy(a => a.Id).Select(a => new
        {
            a.Id,
            a.ArtistId,
            Movement = a.Tags.Where(t => t.Tag!.Vocabulary == TagVocabulary.Style && t.Status == TagStatus.Accepted).Select(t => t.Tag!.Slug).First(),
            CollectionId = a.CollectionItems.Select(i => i.CollectionId).First(),
            a.ImageSha256,
        }).ToListAsync();
        return [.. works.Select(w => new DemoWork(w.Id, w.ArtistId!.Value, w.Movement, w.CollectionId, w.ImageSha256))];
    }

    /// <summary>
    /// Each of 100 query works asks for works of <em>another</em> movement, artist or collection:
    /// its own nearest neighbours are mostly filtered away, the hard case for a filtered HNSW scan.
    /// </summary>
    private static SimilarFilters OtherFilter(FilterKind kind, DemoWork work, List<DemoWork> all)
    {
        var movements = all.Select(w => w.Movement).Distinct().Order(StringComparer.Ordinal).ToList();
        var artists = all.Select(w => w.ArtistId).Distinct().Order().ToList();
        var collections = all.Select(w => w.CollectionId).Distinct().Order().ToList();
        static T Next<T>(List<T> values, T current) => values[(values.IndexOf(current) + 1) % values.Count];
        return kind switch
        {
            FilterKind.Movement => new SimilarFilters { Tag = Next(movements, work.Movement) },
            FilterKind.Artist => new SimilarFilters { ArtistId = Next(artists, work.ArtistId) },
            _ => new SimilarFilters { CollectionId = Next(collections, work.CollectionId) },
        };
    }

    private SimilarSearchService SearchWith(SearchOptions options) => new(
        Contexts, fixture.Services.GetRequiredService<StyleEncoder>(), fixture.Services.GetRequiredService<ImageDecoder>(),
        fixture.Services.GetRequiredService<SimilarityScale>(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<SimilarSearchService>.Instance);

    [Theory]
    [InlineData(FilterKind.Movement, SimilarMode.Style)]
    [InlineData(FilterKind.Movement, SimilarMode.Content)]
    [InlineData(FilterKind.Artist, SimilarMode.Style)]
    [InlineData(FilterKind.Collection, SimilarMode.Blend)]
    public async Task FilteredSearch_WithIterativeScan_FillsThePageForNearlyEveryWork(FilterKind kind, SimilarMode mode)
    {
        var all = await WorksAsync();
        var queries = all.Where((_, i) => i % 6 == 0).Take(100).ToList();
        var full = 0;
        foreach (var work in queries)
        {
            var filters = OtherFilter(kind, work, all);
            var results = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = mode, Count = K, Filters = filters });
            Assert.All(results.Items, m => Assert.True(Matches(m.Card.Id, filters, all), $"{m.Card.Id} does not match {filters}"));
            Assert.DoesNotContain(results.Items, m => m.Card.Id == work.Id);
            Assert.Equal(results.Items.Select(m => m.Score).OrderDescending(), results.Items.Select(m => m.Score));
            full += results.Items.Count == K ? 1 : 0;
        }

        output.WriteLine($"{kind}/{mode}: {full} of {queries.Count} full pages");
        Assert.True(full >= 0.99 * queries.Count, $"{full} of {queries.Count} queries got {K} results");
    }

    [Fact]
    public async Task FilteredSearch_WithoutIterativeScan_OftenComesBackShort()
    {
        // The same 10 %-selective movement filter with pgvector's iterative scan off: HNSW stops after
        // ef_search candidates, most of them from the query's own movement, and the filter empties the page.
        var all = await WorksAsync();
        var queries = all.Where((_, i) => i % 6 == 0).Take(100).ToList();
        var plain = SearchWith(new SearchOptions { IterativeScan = "off" });
        var shortPages = 0;
        foreach (var work in queries)
        {
            var results = await plain.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Style, Count = K, Filters = OtherFilter(FilterKind.Movement, work, all) });
            shortPages += results.Items.Count < K ? 1 : 0;
        }

        output.WriteLine($"without iterative scan: {shortPages} of {queries.Count} short pages");
        Assert.True(shortPages >= queries.Count / 2, $"only {shortPages} of {queries.Count} came back short");
    }

    [Theory]
    [InlineData(SimilarityKind.Style, FilterKind.Artist)]
    [InlineData(SimilarityKind.Content, FilterKind.Collection)]
    [InlineData(SimilarityKind.Style, FilterKind.Movement)]
    public async Task FilteredCandidateQuery_IsAnsweredByTheHnswIndex(SimilarityKind index, FilterKind kind)
    {
        var all = await WorksAsync();
        var work = all[10];
        await using var db = await Contexts.CreateDbContextAsync();
        var embedding = await db.Embeddings.AsNoTracking().SingleAsync(e => e.ArtworkId == work.Id);
        var (sql, parameters) = SimilarSearchService.CandidateQuery(index, embedding.Style, embedding.Content, embedding.EncoderVersion, work.Id, OtherFilter(kind, all[10], all), 48);

        var dataSource = fixture.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var settings = new Npgsql.NpgsqlCommand(NearestNeighbours.IndexSettingsSql(Search.Options), connection, transaction))
        {
            await settings.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN " + sql, connection, transaction);
        explain.Parameters.AddRange(parameters);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        // Filters narrow the ordered index scan; they never replace it by a scan of the filtered set plus a sort.
        Assert.Contains(plan, line => line.Contains($"Index Scan using \"IX_Embeddings_{index}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blend_AtTheExtremes_OrdersExactlyLikeStyleOrContent()
    {
        var all = await WorksAsync();
        foreach (var work in all.Where((_, i) => i % 40 == 0))
        {
            var style = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Style, Count = K });
            var content = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Content, Count = K });
            var blendStyle = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Blend, StyleWeight = 1, Count = K });
            var blendContent = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Blend, StyleWeight = 0, Count = K });

            Assert.Equal(style.Items.Select(m => m.Card.Id), blendStyle.Items.Select(m => m.Card.Id));
            Assert.Equal(content.Items.Select(m => m.Card.Id), blendContent.Items.Select(m => m.Card.Id));
            Assert.All(blendStyle.Items, m => Assert.Equal(m.StyleScore, m.Score, 1e-9));
            Assert.All(blendContent.Items, m => Assert.Equal(m.ContentScore, m.Score, 1e-9));
        }
    }

    [Fact]
    public async Task Blend_InBetween_ScoresEveryWorkByTheWeightedSum()
    {
        var work = (await WorksAsync())[123];
        var results = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Blend, StyleWeight = 0.3, Count = K });
        Assert.Equal(K, results.Items.Count);
        Assert.All(results.Items, m => Assert.Equal((0.3 * m.StyleScore) + (0.7 * m.ContentScore), m.Score, 1e-9));
        Assert.Equal(results.Items.Select(m => m.Score).OrderDescending(), results.Items.Select(m => m.Score));
    }

    [Fact]
    public async Task Threshold_DropsWorksBelowTheMinimumSimilarity()
    {
        var work = (await WorksAsync())[42];
        var all = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Content, Count = 48 });
        Assert.Equal(48, all.Items.Count);
        var min = all.Items[10].Score;

        var strict = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Content, Count = 48, MinSimilarity = min });

        Assert.InRange(strict.Items.Count, 1, 11 + all.Items.Count(m => m.Score == min));
        Assert.All(strict.Items, m => Assert.True(m.Score >= min));
        Assert.Equal(all.Items.TakeWhile(m => m.Score >= min).Select(m => m.Card.Id), strict.Items.Select(m => m.Card.Id));
    }

    [Fact]
    public async Task MinimumMatch_NarrowsTheResultsAcrossTheWholeSliderRange()
    {
        // Issue 18 item 9: the raw cosine slider filtered nothing below about 0.95. On the collection's
        // own scale every step of the slider must cut deeper, and the shown match must hold the threshold.
        var works = await WorksAsync();
        var counts = new List<double>();
        foreach (var minMatch in new[] { 0.0, 0.2, 0.4, 0.6, 0.8 })
        {
            var total = 0;
            foreach (var work in works.Take(40))
            {
                var results = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery { Mode = SimilarMode.Blend, Count = SimilarQuery.MaxCount, MinMatch = minMatch });
                Assert.All(results.Items, m => Assert.InRange(m.Match!.Value, minMatch - 1e-9, 1));
                Assert.Equal(results.Items.Select(m => m.Match).OrderDescending(), results.Items.Select(m => m.Match));
                total += results.Items.Count;
            }

            counts.Add(total / 40.0);
        }

        output.WriteLine($"mean results per work at minimum match 0/20/40/60/80%: {string.Join(" / ", counts.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))}");
        Assert.Equal(SimilarQuery.MaxCount, counts[0]);
        for (var i = 1; i < counts.Count; i++)
        {
            Assert.True(counts[i] < counts[i - 1], $"the slider at {i * 20}% cut nothing more than at {(i - 1) * 20}%");
        }

        Assert.True(counts[^1] >= 1, "at 80% the closest neighbours of a typical work still show");
    }

    [Fact]
    public async Task YearRangeAndTagFilters_ReturnOnlyMatchingWorks()
    {
        var work = (await WorksAsync())[7];
        await using var db = await Contexts.CreateDbContextAsync();
        var subject = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Subject).Select(t => t.Slug).FirstAsync();
        var years = await db.Artworks.Where(a => a.Year != null).Select(a => a.Year!.Value).ToListAsync();
        var (from, to) = (years.Order().ElementAt(years.Count / 4), years.Order().ElementAt(3 * years.Count / 4));

        var results = await Search.SimilarToArtworkAsync(work.Id, new SimilarQuery
        {
            Mode = SimilarMode.Blend,
            Count = K,
            Filters = new SimilarFilters { YearFrom = to, YearTo = from, Tag = subject.ToUpperInvariant() }, // reversed and shouted: normalised
        });

        Assert.NotEmpty(results.Items);
        var ids = results.Items.Select(m => m.Card.Id).ToList();
        var matching = await db.Artworks.Where(a => ids.Contains(a.Id) && a.Year >= from && a.Year <= to
            && a.Tags.Any(t => t.Tag!.Slug == subject && t.Status == TagStatus.Accepted)).CountAsync();
        Assert.Equal(ids.Count, matching);
    }

    private async Task<List<int>> PhotoRanksAsync(SimilarMode mode, float degrees, int every)
    {
        var store = fixture.Services.GetRequiredService<ImageStore>();
        var ranks = new List<int>();
        foreach (var work in (await WorksAsync()).Where((_, i) => i % every == 0))
        {
            var photo = PhotoOfAWork.Take(await store.ReadOriginalAsync(work.Sha), scale: 0.6, degrees: degrees, jpegQuality: 70);
            var results = await Search.SimilarToPhotoAsync(photo, new SimilarQuery { Mode = mode, Count = K });
            ranks.Add(results.Items.Select(m => m.Card.Id).ToList().IndexOf(work.Id));
        }

        output.WriteLine($"{mode} at {degrees}°: ranks {string.Join(' ', ranks)}");
        return ranks;
    }

    [Theory]
    [InlineData(3f)]
    [InlineData(5f)]
    public async Task PhotoOfADemoWork_ResizedRotatedAndRecompressed_FindsTheOriginalInTheTopThree(float degrees)
    {
        // The mode a photo search starts in (style): every one of 30 works, not most of them.
        var ranks = await PhotoRanksAsync(Search.Options.PhotoMode, degrees, every: 20);
        Assert.All(ranks, r => Assert.InRange(r, 0, 2));
    }

    [Theory]
    [InlineData(SimilarMode.Content)]
    [InlineData(SimilarMode.Blend)]
    public async Task PhotoOfADemoWork_ByContentOrBlend_UsuallyFindsTheOriginal(SimilarMode mode)
    {
        // Content features move with the crop and tilt, so these miss now and then (1 in 60 when
        // probed): why style is the photo default. Still, most snapshots must land in the top 3.
        var ranks = await PhotoRanksAsync(mode, 4f, every: 20);
        Assert.True(ranks.Count(r => r is >= 0 and <= 2) >= 0.9 * ranks.Count, string.Join(' ', ranks));
    }

    [Fact]
    public async Task PhotoSearch_RefusesNonImagesDamagedAndOversizedFiles_WithMessagesForTheVisitor()
    {
        var notImage = await Assert.ThrowsAsync<PhotoSearchException>(() => Search.SimilarToPhotoAsync("just some text, not a photo"u8.ToArray(), new SimilarQuery()));
        Assert.Contains("not", notImage.Message, StringComparison.OrdinalIgnoreCase);

        var store = fixture.Services.GetRequiredService<ImageStore>();
        var jpeg = PhotoOfAWork.Take(await store.ReadOriginalAsync((await WorksAsync())[0].Sha));
        var truncated = await Assert.ThrowsAsync<PhotoSearchException>(() => Search.SimilarToPhotoAsync(jpeg[..(jpeg.Length / 2)], new SimilarQuery()));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        var small = SearchWith(new SearchOptions { MaxUploadBytes = 1024 });
        var tooLarge = await Assert.ThrowsAsync<PhotoSearchException>(() => small.SimilarToPhotoAsync(jpeg, new SimilarQuery()));
        Assert.Contains("the limit is", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhotoSearch_StoresNothing()
    {
        var store = fixture.Services.GetRequiredService<ImageStore>();
        await using var db = await Contexts.CreateDbContextAsync();
        var (works, embeddings) = (await db.Artworks.CountAsync(), await db.Embeddings.CountAsync());
        var photo = PhotoOfAWork.Take(await store.ReadOriginalAsync((await WorksAsync())[5].Sha));

        await Search.SimilarToPhotoAsync(photo, new SimilarQuery());

        Assert.Equal(works, await db.Artworks.CountAsync());
        Assert.Equal(embeddings, await db.Embeddings.CountAsync());
    }

    private static bool Matches(int id, SimilarFilters filters, List<DemoWork> all)
    {
        var work = all.Single(w => w.Id == id);
        return (filters.ArtistId is null || work.ArtistId == filters.ArtistId)
            && (filters.CollectionId is null || work.CollectionId == filters.CollectionId)
            && (filters.Tag is null || work.Movement == filters.Tag);
    }
}
