using ArtGallery.Core.Accounts;
using ArtGallery.Core.Demo;
using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Engines.Demo;

namespace ArtGallery.IntegrationTests;

public sealed class IngestionTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    private static (byte[] Data, ArtworkMetadata Metadata) NewWork(int index, string title)
    {
        var work = DemoCatalogue.Plan(index + 1, 777)[index];
        return (DemoSeeder.Paint(work), new ArtworkMetadata(title) { Source = $"test/{title}", Artist = new ArtistInfo("Test Painter") });
    }

    [Fact]
    public async Task SeedingAgain_ChangesNothing()
    {
        var result = await fixture.Services.GetRequiredService<DemoSeeder>().SeedAsync(30, TestDatabase.DemoSeed);
        Assert.Equal((0, 0, 30, 0), (result.Imported, result.Updated, result.Skipped, result.Failed));
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(TestDatabase.DemoCount, await db.Artworks.CountAsync(a => a.IsGenerated));
    }

    [Fact]
    public async Task Ingest_IsIdempotentByImageHash_AndUpdatesMetadata()
    {
        var ingestor = fixture.Services.GetRequiredService<ArtworkIngestor>();
        var (data, metadata) = NewWork(0, "Idempotent");

        var first = await ingestor.IngestAsync([(data, metadata)]);
        var again = await ingestor.IngestAsync([(data, metadata)]);
        var renamed = await ingestor.IngestAsync([(data, metadata with { Title = "Idempotent, retitled" })]);

        Assert.Equal(IngestOutcome.Imported, first[0].Outcome);
        Assert.Equal(IngestOutcome.Skipped, again[0].Outcome);
        Assert.Equal(IngestOutcome.Updated, renamed[0].Outcome);
        Assert.Equal(first[0].ArtworkId, renamed[0].ArtworkId);
        var sha = Core.Storage.ImageStore.Sha256Hex(data);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal("Idempotent, retitled", (await db.Artworks.SingleAsync(a => a.ImageSha256 == sha)).Title);
    }

    [Fact]
    public async Task Ingest_ReportsBadFiles_AndKeepsTheRestOfTheBatch()
    {
        var ingestor = fixture.Services.GetRequiredService<ArtworkIngestor>();
        var good = NewWork(1, "Good one");
        var truncated = good.Data[..(good.Data.Length / 4)];
        var results = await ingestor.IngestAsync(
        [
            ("not an image at all"u8.ToArray(), new ArtworkMetadata("Text file") { Source = "notes.txt" }),
            (truncated, new ArtworkMetadata("Truncated") { Source = "truncated.jpg" }),
            good,
        ]);

        Assert.Equal(IngestOutcome.Failed, results[0].Outcome);
        Assert.Contains("not an image", results[0].Reason, StringComparison.Ordinal);
        Assert.Equal(IngestOutcome.Failed, results[1].Outcome);
        Assert.False(string.IsNullOrEmpty(results[1].Reason));
        Assert.Equal(IngestOutcome.Imported, results[2].Outcome);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.Artworks.CountAsync(a => a.Title == "Text file" || a.Title == "Truncated"));
    }

    [Fact]
    public async Task FolderImport_UsesLabels_AndAMalformedLabelsFileStopsItBeforeAnythingIsWritten()
    {
        var folder = Directory.CreateTempSubdirectory("ag-folder-").FullName;
        try
        {
            var imports = fixture.Services.GetRequiredService<BulkImportService>();
            await File.WriteAllBytesAsync(Path.Combine(folder, "painter-x_labelled-work.jpg"), NewWork(2, "unused").Data);
            await File.WriteAllTextAsync(Path.Combine(folder, LabelsFile.FileName), "path,style\n\"broken.jpg,Cubism\n");

            await Assert.ThrowsAsync<FormatException>(() => imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder, ImportFormat.Folder)));
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                Assert.Equal(0, await db.Artworks.CountAsync(a => a.Title == "Labelled Work"));
            }

            await File.WriteAllTextAsync(Path.Combine(folder, LabelsFile.FileName), "path,style,artist_slug\npainter-x_labelled-work.jpg,Test_Movement,painter-x\n");
            var result = await imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder, ImportFormat.Folder));

            Assert.Equal(1, result.Count(IngestOutcome.Imported));
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                var work = await db.Artworks.Where(a => a.Title == "Labelled Work")
                    .Select(a => new { Artist = a.Artist!.Name, Styles = a.Tags.Select(t => t.Tag!.Name).ToList() }).SingleAsync();
                Assert.Equal("Painter X", work.Artist);
                Assert.Equal(["Test Movement"], work.Styles);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task EmbeddingWorker_ResumesAfterAnInterruption_WithoutDuplicates()
    {
        var ingestor = fixture.Services.GetRequiredService<ArtworkIngestor>();
        var items = Enumerable.Range(10, 40).Select(i => NewWork(i, $"Backfill {i}")).ToList();
        var results = await ingestor.IngestAsync(items);
        var ids = results.Select(r => r.ArtworkId!.Value).ToList();
        var pipeline = fixture.Services.GetRequiredService<EmbeddingPipeline>();
        Assert.True(await pipeline.CountMissingAsync() >= 40);

        // Interrupt a pass partway (as a crash or a stop would), then let the worker run.
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new SynchronousProgress<EmbedProgress>(p =>
            {
                if (p.Done >= 2 * EmbeddingPipeline.BatchSize)
                {
                    cancel.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.EmbedMissingAsync(progress, cancel.Token));
        }

        int embeddedOfOurs;
        await using (var before = await Contexts.CreateDbContextAsync())
        {
            embeddedOfOurs = await before.Embeddings.CountAsync(e => ids.Contains(e.ArtworkId));
        }

        // Part done, part left: the first batch was written before the stop, the last was not.
        Assert.InRange(embeddedOfOurs, EmbeddingPipeline.BatchSize, ids.Count - 1);

        var worker = new EmbeddingWorker(pipeline, fixture.Services.GetRequiredService<Core.Search.SearchIndexer>(), fixture.Services.GetRequiredService<Core.Jobs.JobStore>(),
            fixture.Services.GetRequiredService<EmbeddingSignal>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddingWorker>.Instance);
        await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, await pipeline.CountMissingAsync());
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(await db.Artworks.CountAsync(), await db.Embeddings.CountAsync());
        Assert.Equal(ids.Count, await db.Embeddings.CountAsync(e => ids.Contains(e.ArtworkId)));
        var job = await db.Jobs.OrderByDescending(j => j.Id).FirstAsync(j => j.Kind == EmbeddingWorker.JobKind);
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(job.Total, job.Done);
    }
}
