using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;

namespace ArtGallery.IntegrationTests;

/// <summary>Search by words and by colour over the indexed demo collection.</summary>
public sealed class WordSearchTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    [Fact]
    public async Task Search_ParaphrasedDescription_FindsWorksOfThatSubjectEachWithAReason()
    {
        var results = await fixture.Services.GetRequiredService<WordSearchService>().SearchAsync("boats on the ocean after dark", 10);

        Assert.Equal(10, results.Items.Count);
        await using var db = await Contexts.CreateDbContextAsync();
        var ids = results.Items.Select(i => i.Card.Id).Take(5).ToList();
        var seascapes = await db.ArtworkTags.CountAsync(t => ids.Contains(t.ArtworkId) && t.Tag!.Name == "Seascape" && t.Status == TagStatus.Accepted);
        Assert.True(seascapes >= 4, $"{seascapes} of the top 5 are seascapes");
        Assert.All(results.Items, i => Assert.NotEmpty(i.Reasons));
        Assert.Contains(results.Items, i => i.Reasons.Any(r => r.StartsWith("meaning:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Search_FusedInTheDatabase_EqualsFuseOfItsTwoRankings()
    {
        // The database fuses the two rankings in the search's one statement; Fuse is the reference.
        var search = fixture.Services.GetRequiredService<WordSearchService>();
        const string query = "waves under an evening sky";
        var meaning = await search.SearchAsync(query, 96, WordSearchMode.Vector);
        var words = await search.SearchAsync(query, 96, WordSearchMode.FullText);
        var fused = await search.SearchAsync(query, 24);

        var expected = WordSearchService.Fuse([.. meaning.Items.Select(i => (i.Card.Id, i.Similarity))], [.. words.Items.Select(i => i.Card.Id)], 24);
        Assert.NotEmpty(words.Items);
        Assert.Equal(expected.Select(e => (e.Id, e.Score, e.MeaningRank, e.WordsRank, e.Similarity)),
            fused.Items.Select(i => (i.Card.Id, i.Score, i.MeaningRank, i.WordsRank, i.Similarity)));
    }

    [Fact]
    public async Task SearchCards_ReadInTheRankingStatement_AreTheGallerysOwnCards()
    {
        // SearchSql writes GalleryService.ToCards' projection as SQL (one round trip); the two must agree.
        var gallery = fixture.Services.GetRequiredService<GalleryService>();
        var words = await fixture.Services.GetRequiredService<WordSearchService>().SearchAsync("boats on the ocean after dark", 12);
        var colours = await fixture.Services.GetRequiredService<PaletteSearchService>().SearchAsync(["#1f3a5f", "#d9c27a"], 12);

        var cards = words.Items.Select(i => i.Card).Concat(colours.Select(c => c.Card)).ToList();
        Assert.Equal(24, cards.Count);
        Assert.Contains(cards, c => c.Style is not null);
        foreach (var card in cards)
        {
            Assert.Equal((await gallery.GetArtworkAsync(card.Id))?.Card, card);
        }
    }

    [Fact]
    public async Task Indexer_ATitleChange_IsReEmbeddedAndFoundByItsNewWords()
    {
        var indexer = fixture.Services.GetRequiredService<SearchIndexer>();
        Assert.Equal(0, (await indexer.IndexAsync()).Texts);
        int id;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var work = await db.Artworks.OrderBy(a => a.Id).Skip(3).FirstAsync();
            work.Title = "Zeppelin over Quixotic Marshes";
            id = work.Id;
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, (await indexer.IndexAsync()).Texts);
        var results = await fixture.Services.GetRequiredService<WordSearchService>().SearchAsync("zeppelin", 5, WordSearchMode.FullText);
        Assert.Equal(id, results.Items[0].Card.Id);
        Assert.Contains("title: “zeppelin”", results.Items[0].Reasons);
    }

    [Fact]
    public async Task FullText_AWorkWithEveryWord_RanksAboveWorksRepeatingOneOfThem()
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        try
        {
            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory);
            var contexts = services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
            int both;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                // Five works say "lantern" four times (ts_rank_cd alone puts them first); one says both words once.
                var works = await db.Artworks.OrderBy(a => a.Id).Take(6).ToListAsync();
                foreach (var work in works.Skip(1))
                {
                    work.Title = "Lantern, Lantern, Lantern, Lantern";
                }

                works[0].Title = "Quixotic Lantern";
                both = works[0].Id;
                await db.SaveChangesAsync();
            }

            await services.GetRequiredService<SearchIndexer>().IndexAsync();
            var results = await services.GetRequiredService<WordSearchService>().SearchAsync("lantern quixotic", 6, WordSearchMode.FullText);

            Assert.Equal(6, results.Items.Count);
            Assert.Equal(both, results.Items[0].Card.Id);
            Assert.Equal(1, results.Items[0].WordsRank);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task FullText_ACommonWord_DoesNotCrowdOutTheWorksOfARareOne()
    {
        // 2,100 works say "lantern" (over CommonWordWorks), then three say "zeppelin", stored after them. The
        // "any word" tier fetches at most MaxRankedMatches rows: scanning "lantern" too, it filled them with
        // the first lanterns it met; scanning only the rare word, it finds every zeppelin and only them.
        Assert.True(2_100 > WordSearchService.CommonWordWorks);
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        try
        {
            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory);
            var contexts = services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
            await using (var db = await contexts.CreateDbContextAsync())
            {
                await db.Database.ExecuteSqlRawAsync("""
                    CREATE TEMP TABLE words(n int, title text);
                    INSERT INTO words SELECT g, 'Lantern study ' || g FROM generate_series(1, 2100) g;
                    INSERT INTO words SELECT 2100 + g, 'Zeppelin study ' || g FROM generate_series(1, 3) g;
                    INSERT INTO "Artworks" ("Title", "ImageSha256", "ImageFormat", "PixelWidth", "PixelHeight", "FileBytes", "Palette", "IsGenerated", "CreatedAt", "UpdatedAt")
                        SELECT title, md5(title) || md5(n::text), 'png', 1, 1, 1, ARRAY[]::text[], false, now(), now() FROM words ORDER BY n;
                    INSERT INTO "ArtworkTexts" ("ArtworkId", "EncoderVersion", "Text", "Embedding", "UpdatedAt")
                        SELECT a."Id", 'other-encoder', a."Title", array_fill(0.1::real, ARRAY[384])::vector, now()
                        FROM "Artworks" a JOIN words w ON w.title = a."Title" ORDER BY w.n;
                    ANALYZE "ArtworkTexts";
                    """);
            }

            List<int> zeppelins;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                zeppelins = await db.Artworks.Where(a => a.Title.StartsWith("Zeppelin study")).Select(a => a.Id).ToListAsync();
            }

            var results = await services.GetRequiredService<WordSearchService>().SearchAsync("zeppelin lantern", 24, WordSearchMode.FullText);

            Assert.Equal(3, zeppelins.Count);
            // The works that only say the common word are not fetched beside a rarer word (meaning's half of
            // the fused search still ranks every work).
            Assert.Equal(zeppelins.Order(), results.Items.Select(i => i.Card.Id).Order());
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Search_FilteredByStyle_RanksThatStylesWorksOnly()
    {
        var style = await StyleOfAsync(await SeascapeIdAsync(7));
        var filters = new WorkFilters { Style = style.Slug };
        var results = await fixture.Services.GetRequiredService<WordSearchService>().SearchAsync("boats on the ocean after dark", filters, 24);

        // 60 works carry each demo style, so 24 is a page of that style, not the few of it that the
        // unfiltered top 24 held: the filter is inside both rankings, not applied to their output.
        var unfiltered = await fixture.Services.GetRequiredService<WordSearchService>().SearchAsync("boats on the ocean after dark", 24);
        Assert.True(unfiltered.Items.Count(i => i.Card.Style == style.Name) < 24 / 2, "the unfiltered page is not already one style");
        Assert.Equal(24, results.Items.Count);
        await using var db = await Contexts.CreateDbContextAsync();
        var ids = results.Items.Select(i => i.Card.Id).ToList();
        var inStyle = await db.ArtworkTags.Where(t => ids.Contains(t.ArtworkId) && t.Tag!.Slug == style.Slug && t.Tag.Vocabulary == TagVocabulary.Style && t.Status == TagStatus.Accepted)
            .Select(t => t.ArtworkId).Distinct().CountAsync();
        Assert.Equal(24, inStyle);

        // Still ranked by meaning: the style's ten seascapes come first.
        var top = ids.Take(10).ToList();
        var seascapes = await db.ArtworkTags.CountAsync(t => top.Contains(t.ArtworkId) && t.Tag!.Name == "Seascape" && t.Status == TagStatus.Accepted);
        Assert.True(seascapes >= 8, $"{seascapes} of the top 10 are seascapes");
        Assert.All(results.Items, i => Assert.NotEmpty(i.Reasons));
    }

    [Fact]
    public async Task FullText_FilteredByArtistAndYears_FindsEveryMatchOfThatArtistInThoseYearsOnly()
    {
        var seascape = await SeascapeIdAsync(3);
        await using var db = await Contexts.CreateDbContextAsync();
        var artist = await db.Artworks.Where(a => a.Id == seascape).Select(a => a.ArtistId!.Value).FirstAsync();
        var years = await db.Artworks.Where(a => a.ArtistId == artist).Select(a => a.Year!.Value).OrderBy(y => y).ToListAsync();
        var (from, to) = (years[years.Count / 4], years[(years.Count * 3) / 4]);
        var expected = await db.ArtworkTags.Where(t => t.Tag!.Name == "Seascape" && t.Status == TagStatus.Accepted
                && t.Artwork!.ArtistId == artist && t.Artwork.Year >= from && t.Artwork.Year <= to)
            .Select(t => t.ArtworkId).OrderBy(id => id).ToListAsync();
        Assert.NotEmpty(expected);

        // The years reversed, as anyone can type them into the URL: swapped, not an empty page.
        var filters = new WorkFilters { ArtistId = artist, YearFrom = to, YearTo = from };
        var results = await fixture.Services.GetRequiredService<WordSearchService>().SearchAsync("seascape", filters, 96, WordSearchMode.FullText);

        Assert.Equal(expected, results.Items.Select(i => i.Card.Id).Order());
        Assert.All(results.Items, i => Assert.Equal(artist, i.Card.ArtistId));
        Assert.All(results.Items, i => Assert.InRange(i.Card.Year!.Value, from, to));
        Assert.Equal(Enumerable.Range(1, results.Items.Count), results.Items.Select(i => i.WordsRank!.Value));
    }

    [Fact]
    public async Task PaletteSearch_FilteredByStyle_RanksThatStylesWorksOnlyWithTheWorkItselfInTheTopFive()
    {
        var workId = await SeascapeIdAsync(5);
        var style = await StyleOfAsync(workId);
        await using var db = await Contexts.CreateDbContextAsync();
        var palette = await db.Artworks.Where(a => a.Id == workId).Select(a => a.Palette).FirstAsync();
        var results = await fixture.Services.GetRequiredService<PaletteSearchService>().SearchAsync(palette.Take(2), new WorkFilters { Style = style.Slug }, 24);

        Assert.Equal(24, results.Count);
        Assert.All(results, r => Assert.Equal(style.Name, r.Card.Style));
        Assert.Contains(workId, results.Take(5).Select(r => r.Card.Id));
        Assert.Equal(results.OrderByDescending(r => r.Similarity).Select(r => r.Card.Id), results.Select(r => r.Card.Id));
    }

    /// <summary>The <paramref name="skip"/>-th demo seascape (by id): a work whose style and subject the demo knows.</summary>
    private async Task<int> SeascapeIdAsync(int skip)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.ArtworkTags.Where(t => t.Tag!.Name == "Seascape" && t.Status == TagStatus.Accepted)
            .OrderBy(t => t.ArtworkId).Skip(skip).Select(t => t.ArtworkId).FirstAsync();
    }

    private async Task<(string Slug, string Name)> StyleOfAsync(int artworkId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var tag = await db.ArtworkTags.Where(t => t.ArtworkId == artworkId && t.Tag!.Vocabulary == TagVocabulary.Style && t.Status == TagStatus.Accepted)
            .Select(t => new { t.Tag!.Slug, t.Tag.Name }).FirstAsync();
        return (tag.Slug, tag.Name);
    }

    [Fact]
    public async Task PaletteSearch_AWorksOwnTwoMainColours_RankThatWorkInTheTopFive()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var work = await db.Artworks.OrderBy(a => a.Id).Skip(11).Select(a => new { a.Id, a.Palette }).FirstAsync();
        var results = await fixture.Services.GetRequiredService<PaletteSearchService>().SearchAsync(work.Palette.Take(2), 24);

        Assert.Equal(24, results.Count);
        var picked = work.Palette.Take(2).Select(ColourSpace.FromHex).ToList();
        Assert.Contains(work.Id, results.Take(5).Select(r => r.Card.Id));

        // ΔE 15: a clearly similar shade. The first result shows both picked colours; the next two
        // at least one (a work can match one colour very closely and still rank near the top).
        var first = results[0].Palette.Select(ColourSpace.FromHex).ToList();
        Assert.All(picked, p => Assert.Contains(first, c => c.DeltaE(p) < 15));
        foreach (var match in results.Skip(1).Take(2))
        {
            var colours = match.Palette.Select(ColourSpace.FromHex).ToList();
            Assert.Contains(colours, c => picked.Any(p => c.DeltaE(p) < 15));
        }
    }
}
