using ArtGallery.Core.Gallery;
using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Engines.Studio.Poetry;
using Microsoft.Extensions.Configuration;

namespace ArtGallery.IntegrationTests;

/// <summary>The literature studio on the real poem model and database, over the demo collection.</summary>
public sealed class PoemStudioTests : IAsyncLifetime
{
    private string _database = string.Empty;
    private ServiceProvider? _services;

    private PoemStudioService Studio => _services!.GetRequiredService<PoemStudioService>();

    public async Task InitializeAsync()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        _database = await TestDatabase.CloneDemoAsync("ag_poem");
        _services = TestDatabase.Services(_database, template.ImagesDirectory, s => s.AddPoemStudio(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Engines:ExecutionProvider"] = "Cpu" }).Build()));
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task WriteForWork_SaveAndList_KeepsPoemWithItsWork_VisibleToItsOwnerOnly()
    {
        int workId;
        await using (var db = await _services!.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync())
        {
            workId = await db.Artworks.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        }

        var work = await _services!.GetRequiredService<GalleryService>().GetArtworkAsync(workId);
        Assert.NotNull(work);
        var keywords = Studio.KeywordsFor(work);
        Assert.NotEmpty(keywords);
        var poem = Studio.Write(new PoemRequest { Keywords = [.. keywords.Select(k => k.Word)], Lines = 8, Seed = 4 });
        Assert.Equal(8, poem.VerseLineCount);

        const string owner = "v:00000000000000000000000000000001";
        var id = await Studio.SaveAsync(owner, poem, $"For {work.Card.Title}", workId);

        var kept = Assert.Single(await Studio.ListAsync(owner));
        Assert.Equal((id, poem.Text, workId), (kept.Id, kept.Text, kept.SourceArtworkId));
        Assert.Equal(string.Join(' ', poem.UsedKeywords), kept.Keywords);
        using (var parameters = System.Text.Json.JsonDocument.Parse(kept.ParametersJson!))
        {
            Assert.Equal(4, parameters.RootElement.GetProperty("seed").GetInt32());
        }

        Assert.Null(await Studio.GetAsync("v:00000000000000000000000000000002", id));
        Assert.False(await Studio.DeleteAsync("v:00000000000000000000000000000002", id));
        Assert.True(await Studio.DeleteAsync(owner, id));
        Assert.Empty(await Studio.ListAsync(owner));
    }

    [Fact]
    public async Task ClosestWorks_OfAPoemAboutTheSea_AreSeascapes_EmbeddedAsText()
    {
        // A poem that never names a title: the link is by meaning (the words search's sentence model), not by shared words.
        const string poem = """
            the grey waves roll in under a low sky
            foam on the shingle, gulls above the swell
            a sail far out where the water meets the cloud
            """;
        var closest = await Studio.ClosestWorksAsync(poem);

        Assert.Equal(PoemStudioService.ClosestWorksCount, closest.Count);
        var ids = closest.Select(w => w.Card.Id).ToList();
        await using var db = await _services!.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var subjects = await db.ArtworkTags.Where(t => ids.Contains(t.ArtworkId) && t.Tag!.Vocabulary == ArtGallery.Data.Entities.TagVocabulary.Subject)
            .Select(t => t.Tag!.Name).ToListAsync();
        Assert.True(subjects.Count(s => s == "Seascape") >= 2, "closest works' subjects: " + string.Join(", ", subjects));
        Assert.All(closest, w => Assert.InRange(w.Similarity, 0.0, 1.0));
        // My creations asks again on every visit: the second answer comes from the kept poem vector and is the same.
        var again = await Studio.ClosestWorksAsync(poem);
        Assert.Equal(ids, again.Select(w => w.Card.Id));
        Assert.Empty(await Studio.ClosestWorksAsync("   "));
    }
}
