using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Recognition;

namespace ArtGallery.IntegrationTests;

/// <summary>The review queue over the embedded demo collection: ordering, decisions, learning from them, second looks.</summary>
public sealed class ReviewQueueTests(DemoDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Decisions_RejectThenTagThenAccept_ChangeTheModelsLaterSuggestions()
    {
        await using var scope = await ScopeAsync();
        var (services, db) = (scope.Services, scope.Contexts);
        var curator = await TestAccounts.CreateAsync(services, "learner@example.test", GalleryRoles.Curator);
        var review = services.GetRequiredService<ReviewQueueService>();
        var worker = ActivatorUtilities.CreateInstance<RecognitionWorker>(services);
        var recognition = services.GetRequiredService<StyleRecognitionService>();

        // One movement loses all but two of its curator tags: too few to learn, so the model cannot suggest it.
        var (movementId, movementSlug, movementWorks) = await UntagMovementAsync(db, keep: 2);
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, await CountSuggestionsAsync(db, movementId));

        // A curator rejects every (wrong) suggestion for one of its works…
        var first = movementWorks[0];
        var queue = await review.ListSuggestionsAsync(curator, pageSize: 100);
        var wrong = (await OpenSuggestionsAsync(db, first)).Select(tagId => new ReviewDecision(first, tagId, Accept: false)).ToList();
        Assert.NotEmpty(wrong);
        var outcome = await review.DecideAsync(curator, wrong);
        Assert.Equal(wrong.Count, outcome.Rejected);
        Assert.True(await services.GetRequiredService<RecognitionSignal>().WaitAsync(TimeSpan.Zero, CancellationToken.None), "a decision wakes the recognition worker");

        // …and gives it its movement: three examples now, enough to learn.
        Assert.Equal(1, await services.GetRequiredService<TaggingService>().TagWorksAsync(curator, [first], movementId));
        await worker.RunOnceAsync(CancellationToken.None);
        var rest = movementWorks.Skip(1).ToList();
        var topBefore = await TopSuggestionsAsync(db, rest);
        var learned = rest.Count(id => topBefore.TryGetValue(id, out var top) && top.TagId == movementId);
        output.WriteLine($"after tagging: {learned} of {rest.Count} untagged works of {movementSlug} get it as top suggestion (0 before)");
        Assert.True(learned >= 0.8 * rest.Count, $"{learned} of {rest.Count}");

        // Accepting half of those suggestions retrains on them: the rest are suggested their movement more confidently.
        var accepted = rest.Take(rest.Count / 2).Where(id => topBefore[id].TagId == movementId).ToList();
        var trainedOn = recognition.Status.TrainingWorks;
        outcome = await review.DecideAsync(curator, [.. accepted.Select(id => new ReviewDecision(id, movementId, Accept: true))]);
        Assert.Equal(accepted.Count, outcome.Accepted);
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(trainedOn + accepted.Count, recognition.Status.TrainingWorks);
        var remaining = rest.Except(accepted).ToList();
        var topAfter = await TopSuggestionsAsync(db, remaining);
        var before = remaining.Average(id => topBefore[id].TagId == movementId ? topBefore[id].Confidence : 0);
        var after = remaining.Average(id => topAfter.TryGetValue(id, out var t) && t.TagId == movementId ? t.Confidence : 0);
        output.WriteLine($"mean confidence in {movementSlug} on the {remaining.Count} works still open: {before:0.000} → {after:0.000}");
        Assert.True(after > before, $"{before:0.000} → {after:0.000}");

        // Every decision left its audit row, attributed to the curator.
        var audits = await db.TagAudits.Where(a => a.ActorName == "learner@example.test").GroupBy(a => a.Action).ToDictionaryAsync(g => g.Key, g => g.Count());
        Assert.Equal(wrong.Count, audits[TagAuditAction.Rejected]);
        Assert.Equal(1, audits[TagAuditAction.Added]);
        Assert.Equal(accepted.Count, audits[TagAuditAction.Accepted]);
        Assert.NotEmpty(queue.Items);
    }

    [Fact]
    public async Task ReviewQueue_ListsTheLeastCertainWorksFirst()
    {
        await using var scope = await ScopeAsync();
        var curator = await TestAccounts.CreateAsync(scope.Services, "orderer@example.test", GalleryRoles.Curator);
        await scope.Contexts.ArtworkTags.Where(t => t.ArtworkId % 10 == 3 && t.Tag!.Vocabulary == TagVocabulary.Style).ExecuteDeleteAsync();
        await scope.Services.GetRequiredService<StyleRecognitionService>().RefreshSuggestionsAsync();

        var page = await scope.Services.GetRequiredService<ReviewQueueService>().ListSuggestionsAsync(curator, pageSize: 100);

        Assert.Equal(60, page.Total);
        Assert.Equal(60, page.Items.Count);
        Assert.All(page.Items, i => Assert.Equal(i.Suggestions[0].Confidence - (i.Suggestions.Count > 1 ? i.Suggestions[1].Confidence : 0), i.Margin, 4));
        Assert.True(page.Items.Zip(page.Items.Skip(1)).All(p => p.First.Margin <= p.Second.Margin));
    }

    [Fact]
    public async Task SecondLook_FlagsWorksWhoseCuratorStyleTheModelStronglyDoubts()
    {
        await using var scope = await ScopeAsync();
        var curator = await TestAccounts.CreateAsync(scope.Services, "doubter@example.test", GalleryRoles.Curator);
        var db = scope.Contexts;
        var tagging = scope.Services.GetRequiredService<TaggingService>();
        var styles = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Style).OrderBy(t => t.Slug).Take(2).ToListAsync();
        var mislabelled = await db.ArtworkTags.Where(t => t.TagId == styles[0].Id).OrderBy(t => t.ArtworkId).Select(t => t.ArtworkId).Take(3).ToListAsync();
        await scope.Services.GetRequiredService<StyleRecognitionService>().EnsureTrainedAsync();

        // A curator re-tags three works with the wrong movement; the model, trained before, disagrees strongly.
        await tagging.UntagWorksAsync(curator, mislabelled, styles[0].Id);
        await tagging.TagWorksAsync(curator, mislabelled, styles[1].Id);

        var flagged = await scope.Services.GetRequiredService<ReviewQueueService>().ListSecondLookAsync(curator);

        output.WriteLine($"second look: {flagged.Count} works flagged");
        foreach (var id in mislabelled)
        {
            var item = Assert.Single(flagged, f => f.Card.Id == id);
            Assert.Equal(styles[1].Name, item.CuratorStyle);
            Assert.Equal(styles[0].Name, item.ModelStyle);
            Assert.True(item.CuratorStyleProbability < ReviewQueueService.SecondLookCuratorBelow && item.ModelStyleProbability > ReviewQueueService.SecondLookModelAbove);
        }

        Assert.True(flagged.Count <= 10, "only the doubtful few, not the collection");
    }

    [Fact]
    public async Task Decide_OnASuggestionThatIsGone_CountsItStaleAndChangesNothing()
    {
        await using var scope = await ScopeAsync();
        var curator = await TestAccounts.CreateAsync(scope.Services, "late@example.test", GalleryRoles.Curator);
        var before = await scope.Contexts.ArtworkTags.CountAsync();

        var outcome = await scope.Services.GetRequiredService<ReviewQueueService>().DecideAsync(curator, [new ReviewDecision(1, 1, Accept: true)]);

        Assert.Equal(new ReviewOutcome(0, 0, 1), outcome);
        Assert.Equal(before, await scope.Contexts.ArtworkTags.CountAsync());
        Assert.Equal(0, await scope.Contexts.TagAudits.CountAsync());
    }

    private static async Task<(int TagId, string Slug, List<int> Untagged)> UntagMovementAsync(GalleryDbContext db, int keep)
    {
        var movement = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Style).OrderBy(t => t.Slug).FirstAsync();
        var works = await db.ArtworkTags.Where(t => t.TagId == movement.Id).OrderBy(t => t.ArtworkId).Select(t => t.ArtworkId).ToListAsync();
        var untagged = works.Skip(keep).ToList();
        await db.ArtworkTags.Where(t => t.TagId == movement.Id && untagged.Contains(t.ArtworkId)).ExecuteDeleteAsync();
        return (movement.Id, movement.Slug, untagged);
    }

    private static Task<int> CountSuggestionsAsync(GalleryDbContext db, int tagId) =>
        db.ArtworkTags.CountAsync(t => t.TagId == tagId && t.Source == TagSource.Model && t.Status == TagStatus.Suggested);

    private static Task<List<int>> OpenSuggestionsAsync(GalleryDbContext db, int artworkId) =>
        db.ArtworkTags.Where(t => t.ArtworkId == artworkId && t.Source == TagSource.Model && t.Status == TagStatus.Suggested).Select(t => t.TagId).ToListAsync();

    private static async Task<Dictionary<int, (int TagId, float Confidence)>> TopSuggestionsAsync(GalleryDbContext db, List<int> works)
    {
        var rows = await db.ArtworkTags.AsNoTracking().Where(t => works.Contains(t.ArtworkId) && t.Source == TagSource.Model && t.Status == TagStatus.Suggested)
            .Select(t => new { t.ArtworkId, t.TagId, t.Confidence }).ToListAsync();
        return rows.GroupBy(r => r.ArtworkId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Confidence).Select(r => (r.TagId, r.Confidence)).First());
    }

    private Task<TestScope> ScopeAsync() => TestScope.CloneDemoAsync(fixture);
}

/// <summary>A test's own copy of the demo database, its services and a context for checks; dropped on dispose.</summary>
internal sealed record TestScope(string Database, ServiceProvider Services, GalleryDbContext Contexts) : IAsyncDisposable
{
    public static async Task<TestScope> CloneDemoAsync(DemoDatabaseFixture fixture)
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        var services = TestDatabase.Services(database, fixture.ImagesDirectory);
        var contexts = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        return new TestScope(database, services, contexts);
    }

    public async ValueTask DisposeAsync()
    {
        await Contexts.DisposeAsync();
        await Services.DisposeAsync();
        await TestDatabase.DropAsync(Database);
    }
}
