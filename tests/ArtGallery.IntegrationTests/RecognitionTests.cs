using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.IntegrationTests;

/// <summary>The style recogniser over the embedded demo collection (10 movements, curator-tagged).</summary>
public sealed class RecognitionTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Recogniser_TrainsOnCuratorTags_AndPredictsACalibratedDistribution()
    {
        var recognition = fixture.Services.GetRequiredService<StyleRecognitionService>();

        await recognition.EnsureTrainedAsync();
        var predictions = await recognition.PredictAsync(1, top: 10);

        Assert.True(recognition.Status.IsTrained, recognition.Status.Problem);
        Assert.Equal(10, recognition.Status.Styles);
        Assert.Equal(TestDatabase.DemoCount, recognition.Status.TrainingWorks);
        Assert.Equal(10, predictions.Count);
        Assert.Equal(1.0, predictions.Sum(p => p.Probability), 3);
        Assert.True(predictions.Zip(predictions.Skip(1)).All(p => p.First.Probability >= p.Second.Probability));
    }

    [Fact]
    public async Task UntaggedWorks_GetTheirMovementSuggested_AndARejectedStyleIsNeverSuggestedAgain()
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        try
        {
            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory);
            var contexts = services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
            var recognition = services.GetRequiredService<StyleRecognitionService>();

            // A tenth of the collection loses its curator's style tag: the recogniser must learn from the rest.
            Dictionary<int, string> truth;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                var removed = db.ArtworkTags.Where(t => t.ArtworkId % 10 == 3 && t.Tag!.Vocabulary == TagVocabulary.Style);
                truth = await removed.Select(t => new { t.ArtworkId, t.Tag!.Slug }).ToDictionaryAsync(t => t.ArtworkId, t => t.Slug);
                await removed.ExecuteDeleteAsync();
            }

            var written = await recognition.RefreshSuggestionsAsync();

            Assert.Equal(TestDatabase.DemoCount - truth.Count, recognition.Status.TrainingWorks);
            Assert.True(written >= truth.Count, $"{written} suggestions for {truth.Count} untagged works");
            Dictionary<int, (string Slug, float Confidence)> best;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                var suggestions = await db.ArtworkTags.Where(t => t.Source == TagSource.Model && t.Status == TagStatus.Suggested)
                    .Select(t => new { t.ArtworkId, t.Tag!.Slug, t.Confidence, t.CreatedBy }).ToListAsync();
                Assert.All(suggestions, s => Assert.Contains(s.ArtworkId, truth.Keys));
                Assert.All(suggestions, s => Assert.Equal(StyleRecognitionService.SuggestionAuthor, s.CreatedBy));
                best = suggestions.GroupBy(s => s.ArtworkId).ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.Confidence).Select(s => (s.Slug, s.Confidence)).First());
            }

            // The demo's movements are painted by distinct procedures: near-perfect recognition is the bar.
            var correct = truth.Count(t => best.TryGetValue(t.Key, out var b) && b.Slug == t.Value);
            Assert.True(correct >= 0.9 * truth.Count, $"{correct} of {truth.Count} suggested their movement first");

            // A curator rejects one suggestion; the next refresh must not bring it back.
            var (workId, (slug, _)) = best.First();
            await using (var db = await contexts.CreateDbContextAsync())
            {
                await db.ArtworkTags.Where(t => t.ArtworkId == workId && t.Source == TagSource.Model && t.Tag!.Slug == slug)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TagStatus.Rejected));
            }

            await recognition.RefreshSuggestionsAsync();
            await using (var db = await contexts.CreateDbContextAsync())
            {
                var rows = await db.ArtworkTags.Where(t => t.ArtworkId == workId && t.Tag!.Slug == slug).ToListAsync();
                Assert.Equal(TagStatus.Rejected, Assert.Single(rows).Status);
                Assert.Equal(0, await db.ArtworkTags.CountAsync(t => t.Source == TagSource.Model && t.Status == TagStatus.Suggested && !truth.Keys.Contains(t.ArtworkId)));
            }
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Recogniser_RetrainsWhenCuratorsChangeStyleTags()
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        try
        {
            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory);
            var recognition = services.GetRequiredService<StyleRecognitionService>();
            Assert.True(await recognition.EnsureTrainedAsync());
            Assert.False(await recognition.EnsureTrainedAsync());

            await using (var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync())
            {
                await db.ArtworkTags.Where(t => t.ArtworkId == 5 && t.Tag!.Vocabulary == TagVocabulary.Style).ExecuteDeleteAsync();
            }

            Assert.True(await recognition.EnsureTrainedAsync());
            Assert.Equal(TestDatabase.DemoCount - 1, recognition.Status.TrainingWorks);
            // "Seconds, not minutes" after a curator's decision (600 works, 3-fold calibration included).
            Assert.True(recognition.Status.TrainingSeconds < 60, $"{recognition.Status.TrainingSeconds:0.0} s");
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task StyleDescriptor_SameMovementByOtherArtists_IsCloserThanSameSubjectInOtherMovements()
    {
        await using var db = await fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var works = await db.Artworks.Where(a => a.Embedding != null)
            .Select(a => new
            {
                a.ArtistId,
                Movement = a.Tags.Where(t => t.Tag!.Vocabulary == TagVocabulary.Style).Select(t => t.Tag!.Slug).First(),
                Subject = a.Tags.Where(t => t.Tag!.Vocabulary == TagVocabulary.Subject).Select(t => t.Tag!.Slug).First(),
                a.Embedding!.Style,
            })
            .ToListAsync();
        var vectors = works.Select(w => w.Style.ToArray()).ToList();
        var (sameMovement, sameSubject) = (new List<double>(), new List<double>());
        for (var i = 0; i < works.Count; i++)
        {
            for (var j = i + 1; j < works.Count; j++)
            {
                if (works[i].Movement == works[j].Movement && works[i].ArtistId != works[j].ArtistId && works[i].Subject != works[j].Subject)
                {
                    sameMovement.Add(StyleDescriptors.CosineSimilarity(vectors[i], vectors[j]));
                }
                else if (works[i].Subject == works[j].Subject && works[i].Movement != works[j].Movement)
                {
                    sameSubject.Add(StyleDescriptors.CosineSimilarity(vectors[i], vectors[j]));
                }
            }
        }

        Assert.NotEmpty(sameMovement);
        Assert.NotEmpty(sameSubject);
        // Pairwise, not just on average: a random same-movement pair beats a random same-subject pair most of the time.
        var random = new Random(7);
        var wins = Enumerable.Range(0, 20_000).Count(_ => sameMovement[random.Next(sameMovement.Count)] > sameSubject[random.Next(sameSubject.Count)]);
        Assert.True(sameMovement.Average() > sameSubject.Average());
        Assert.True(wins > 0.9 * 20_000, $"same movement closer in {wins / 200.0:0.0}% of pairs");
    }
}
