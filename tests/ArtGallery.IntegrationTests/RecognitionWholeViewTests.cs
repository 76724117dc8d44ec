using System.Collections.Concurrent;
using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Recognition;
using ArtGallery.Core.Search;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using Microsoft.Extensions.Logging;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// The recogniser's second stored vector (the whole work at 448 px, beside the 224 crop search uses):
/// the embedding worker fills it for existing works, the recogniser reads it when present and falls
/// back to the crop, saying so, when it is not.
/// </summary>
public sealed class RecognitionWholeViewTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Recogniser_ReadsTheStoredWholeView_AndFallsBackToTheCropWhenAWorkLacksIt_UntilTheWorkerFillsItIn()
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        var logs = new CapturedLogs();
        try
        {
            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory, s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));
            var contexts = services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
            var pipeline = services.GetRequiredService<EmbeddingPipeline>();
            var head = services.GetRequiredService<VocabularyRecogniser>().Head(TagVocabulary.Style);
            await using var db = await contexts.CreateDbContextAsync();

            // The embedding pass that built the demo stored both views for every work.
            Assert.Equal(TestDatabase.DemoCount, await db.Embeddings.CountAsync(e => e.WholeVersion == StyleEncoder.WholeVersion && e.WholeView != null));
            Assert.Equal(0, await pipeline.CountMissingAsync());
            Assert.True(await head.EnsureTrainedAsync());
            Assert.DoesNotContain(logs.Messages, m => m.Contains("no whole view", StringComparison.Ordinal));

            const int workId = 7;
            var stored = await db.Embeddings.AsNoTracking().SingleAsync(e => e.ArtworkId == workId);
            var (style, content, whole) = (stored.Style.ToArray(), stored.Content.ToArray(), stored.WholeView!.ToArray());
            var bothViews = head.Predict(style, content, whole, top: 10);
            var cropAlone = head.Predict(style, content, top: 10);
            Assert.NotEqual(Probabilities(bothViews), Probabilities(cropAlone));

            // Present: the work is read from both views.
            Assert.Equal(Probabilities(bothViews), Probabilities(await head.PredictAsync(workId, top: 10)));
            var reading = await head.ReadAsync(workId, top: 10);
            Assert.Equal(Probabilities(bothViews), Probabilities(reading!.Predictions));

            // Absent (a work embedded before the whole view existed): the crop alone, and a log line says so.
            await db.Embeddings.Where(e => e.ArtworkId == workId).ExecuteUpdateAsync(s => s.SetProperty(e => e.WholeView, (Pgvector.Vector?)null).SetProperty(e => e.WholeVersion, (string?)null));
            Assert.Equal(Probabilities(cropAlone), Probabilities(await head.PredictAsync(workId, top: 10)));
            Assert.Contains(logs.Messages, m => m.Contains($"artwork {workId} has no whole view", StringComparison.Ordinal));

            // The training set changed (one work now has one view): the head retrains and says so.
            Assert.True(await head.EnsureTrainedAsync());
            Assert.Contains(logs.Messages, m => m.Contains("1 of 600 training works have no whole view yet", StringComparison.Ordinal));

            // The worker's next pass fills in just that work, from the same image, and leaves the crop's vectors as they were.
            Assert.Equal(1, await pipeline.CountMissingAsync());
            var run = await pipeline.EmbedMissingAsync();
            Assert.Equal(1, run.Embedded);
            Assert.Equal(0, await pipeline.CountMissingAsync());
            var refilled = await db.Embeddings.AsNoTracking().SingleAsync(e => e.ArtworkId == workId);
            Assert.Equal(StyleEncoder.WholeVersion, refilled.WholeVersion);
            // Re-running the same network on the same derivative: batch composition changes the kernels' tiling only (1e-5, as StyleEncoderTests).
            Assert.Equal(whole, refilled.WholeView!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(style, refilled.Style.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(0, (await pipeline.EmbedMissingAsync()).Embedded);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task EmbeddingWorker_GivesAWorkWithACurrentCropItsWholeViewAlone_AndAWorkWithAStaleCropBothViews()
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        try
        {
            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory);
            var pipeline = services.GetRequiredService<EmbeddingPipeline>();
            await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
            const int upgraded = 11, stale = 12, donor = 13;
            var before = await db.Embeddings.AsNoTracking().Where(e => e.ArtworkId == upgraded || e.ArtworkId == stale || e.ArtworkId == donor).ToDictionaryAsync(e => e.ArtworkId);
            var (donorStyle, donorContent) = (before[donor].Style, before[donor].Content);

            // Both works carry another work's crop vectors, so a recomputed crop shows. One was
            // embedded before the whole view existed (crop current, no whole view); the other's crop
            // comes from an older encoder (whole view current).
            await db.Embeddings.Where(e => e.ArtworkId == upgraded).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Style, donorStyle).SetProperty(e => e.Content, donorContent)
                .SetProperty(e => e.WholeView, (Pgvector.Vector?)null).SetProperty(e => e.WholeVersion, (string?)null));
            await db.Embeddings.Where(e => e.ArtworkId == stale).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Style, donorStyle).SetProperty(e => e.Content, donorContent).SetProperty(e => e.EncoderVersion, "an-older-encoder"));

            Assert.Equal(2, await pipeline.CountMissingAsync());
            var run = await pipeline.EmbedMissingAsync();
            Assert.Equal((2, 0), (run.Embedded, run.Failed));
            Assert.Equal(0, await pipeline.CountMissingAsync());
            var after = await db.Embeddings.AsNoTracking().Where(e => e.ArtworkId == upgraded || e.ArtworkId == stale).ToDictionaryAsync(e => e.ArtworkId);

            // The upgraded work: its whole view computed again from its image, its crop's row untouched.
            Assert.Equal(StyleEncoder.WholeVersion, after[upgraded].WholeVersion);
            // Re-running the same network on the same derivative: batch composition changes the kernels' tiling only (1e-5, as StyleEncoderTests).
            Assert.Equal(before[upgraded].WholeView!.ToArray(), after[upgraded].WholeView!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(donorStyle.ToArray(), after[upgraded].Style.ToArray());
            Assert.Equal(donorContent.ToArray(), after[upgraded].Content.ToArray());
            Assert.Equal(before[upgraded].CreatedAt, after[upgraded].CreatedAt);

            // The stale crop: computed again from the work's own image, under the current encoder.
            Assert.Equal(StyleEncoder.Version, after[stale].EncoderVersion);
            Assert.Equal(before[stale].Style.ToArray(), after[stale].Style.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(before[stale].Content.ToArray(), after[stale].Content.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(StyleEncoder.WholeVersion, after[stale].WholeVersion);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task VisitorsPhoto_IsReadFromBothViews_WhileItsSearchVectorsStayTheCrops()
    {
        var recognition = fixture.Services.GetRequiredService<StyleRecognitionService>();
        var encoder = fixture.Services.GetRequiredService<StyleEncoder>();
        var decoder = fixture.Services.GetRequiredService<ImageDecoder>();
        var store = fixture.Services.GetRequiredService<ImageStore>();
        await recognition.EnsureTrainedAsync();
        await using var db = await fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var sha = await db.Artworks.Where(a => a.Id == 3).Select(a => a.ImageSha256).SingleAsync();
        using var photo = decoder.Decode(PhotoOfAWork.Take(await store.ReadOriginalAsync(sha)));

        var encoded = encoder.Encode([photo])[0];
        var cropOnly = encoder.Encode([photo], withWhole: false)[0];

        // Search compares the crop's vectors: the whole view does not change them.
        Assert.Equal(cropOnly.Style, encoded.Style);
        Assert.Equal(cropOnly.Content, encoded.Content);
        Assert.NotNull(encoded.Whole);
        var both = recognition.Read(encoded, top: 10)!;
        var crop = recognition.Read(encoded.Style, encoded.Content, top: 10)!;
        Assert.Equal(Probabilities(recognition.Predict(encoded.Style, encoded.Content, RecogniserFeatures.From(encoded.Whole.Style, encoded.Whole.Content), top: 10)), Probabilities(both.Predictions));
        Assert.NotEqual(Probabilities(crop.Predictions), Probabilities(both.Predictions));
    }

    private static List<(string, double)> Probabilities(IEnumerable<TagPrediction> predictions) =>
        [.. predictions.Select(p => (p.Slug, Math.Round(p.Probability, 6)))];

    private static List<(string, double)> Probabilities(IEnumerable<StylePrediction> predictions) =>
        [.. predictions.Select(p => (p.Slug, Math.Round(p.Probability, 6)))];

    /// <summary>Every log line of the services under test, formatted.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(_messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
