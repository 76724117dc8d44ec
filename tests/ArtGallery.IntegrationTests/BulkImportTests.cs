using System.IO.Compression;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.IntegrationTests;

/// <summary>The import layouts against a real database: what a curator's batch turns into.</summary>
public sealed class BulkImportTests(EmptyDatabaseFixture fixture) : IClassFixture<EmptyDatabaseFixture>
{
    private BulkImportService Imports => fixture.Services.GetRequiredService<BulkImportService>();

    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    [Fact]
    public async Task CsvFolder_ImportedTwice_HasNoDuplicatesAndMapsDublinCore()
    {
        var folder = ImportSamples.CsvFolder(12, salt: 1);
        try
        {
            var first = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));
            int afterFirst;
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                afterFirst = await db.Artworks.CountAsync();
            }

            var second = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));

            Assert.Equal(12, first.Count(IngestOutcome.Imported));
            Assert.Equal(0, first.Count(IngestOutcome.Failed));
            Assert.Equal(0, second.Count(IngestOutcome.Imported));
            Assert.Equal(12, second.Count(IngestOutcome.Skipped));
            Assert.NotEqual(first.JobId, second.JobId);
            await using var check = await Contexts.CreateDbContextAsync();
            Assert.Equal(afterFirst, await check.Artworks.CountAsync());
            Assert.Equal(await check.Artworks.CountAsync(), await check.Artworks.Select(a => a.ImageSha256).Distinct().CountAsync());
            var work = await check.Artworks.Include(a => a.Artist).Include(a => a.Tags).ThenInclude(t => t.Tag)
                .SingleAsync(a => a.Title == "Study 1-3, in blue");
            Assert.Equal(("Ada Example", 1903, "Oil on canvas", "CC BY 4.0", "Test Museum"), (work.Artist!.Name, work.Year!.Value, work.Medium!, work.Licence!, work.Credit!));
            Assert.Contains(work.Tags, t => t.Tag!.Vocabulary == TagVocabulary.Style && t.Tag.Name == "Test Style" && t.Source == TagSource.Curator && t.Status == TagStatus.Accepted);
            Assert.Contains(work.Tags, t => t.Tag!.Vocabulary == TagVocabulary.Subject && t.Tag.Name == "harbour");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task CsvReimport_WithChangedMetadataAndUserMapping_UpdatesInPlace()
    {
        var folder = ImportSamples.NewFolder("ag-map-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "a.jpg"), ImportSamples.Image(1, salt: 2));
            await File.WriteAllTextAsync(Path.Combine(folder, "objects.csv"), "Bild,Objekt,Jahr\na.jpg,Erste Fassung,1911\n");
            var mapping = new Dictionary<string, string> { ["Bild"] = "file", ["Objekt"] = "title", ["Jahr"] = "year" };
            var first = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder) { Mapping = mapping });
            await File.WriteAllTextAsync(Path.Combine(folder, "objects.csv"), "Bild,Objekt,Jahr\na.jpg,Zweite Fassung,1912\n");
            var second = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder) { Mapping = mapping });

            Assert.Equal(IngestOutcome.Imported, Assert.Single(first.Rows).Outcome);
            var updated = Assert.Single(second.Rows);
            Assert.Equal(IngestOutcome.Updated, updated.Outcome);
            Assert.Equal(first.Rows[0].ArtworkId, updated.ArtworkId);
            await using var db = await Contexts.CreateDbContextAsync();
            var work = await db.Artworks.SingleAsync(a => a.Id == updated.ArtworkId);
            Assert.Equal(("Zweite Fassung", 1912), (work.Title, work.Year!.Value));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WikiArtLayout_StyleFolderBecomesCuratorTag_AndFileNameGivesArtistTitleYear()
    {
        var folder = ImportSamples.NewFolder("ag-wikiart-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "Impressionism"));
            Directory.CreateDirectory(Path.Combine(folder, "Post_Impressionism"));
            await File.WriteAllBytesAsync(Path.Combine(folder, "Impressionism", "claude-monet_water-lilies-1916.jpg"), ImportSamples.Image(1, salt: 3));
            await File.WriteAllBytesAsync(Path.Combine(folder, "Post_Impressionism", "paul-cezanne_still-life-with-apples.jpg"), ImportSamples.Image(2, salt: 3));

            var report = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));

            Assert.Equal(2, report.Count(IngestOutcome.Imported));
            await using var db = await Contexts.CreateDbContextAsync();
            var monet = await db.Artworks.Include(a => a.Artist).Include(a => a.Tags).ThenInclude(t => t.Tag).SingleAsync(a => a.Id == report.Rows[0].ArtworkId);
            Assert.Equal(("Water Lilies", "Claude Monet", 1916), (monet.Title, monet.Artist!.Name, monet.Year!.Value));
            var style = Assert.Single(monet.Tags);
            Assert.Equal((TagVocabulary.Style, "Impressionism", TagSource.Curator, TagStatus.Accepted), (style.Tag!.Vocabulary, style.Tag.Name, style.Source, style.Status));
            var cezanne = await db.Artworks.Include(a => a.Tags).ThenInclude(t => t.Tag).SingleAsync(a => a.Id == report.Rows[1].ArtworkId);
            Assert.Equal("Still Life With Apples", cezanne.Title);
            Assert.Equal("Post Impressionism", Assert.Single(cezanne.Tags).Tag!.Name);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task IiifManifest_LocalImagesRelativeToTheManifest_TitleFromLabelAndMetadataMapped(int version)
    {
        var folder = ImportSamples.NewFolder("ag-iiif-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "img"));
            await File.WriteAllBytesAsync(Path.Combine(folder, "img", "one.jpg"), ImportSamples.Image(1, salt: 40 + version));
            await File.WriteAllBytesAsync(Path.Combine(folder, "img", "two.png"), ImportSamples.Image(2, salt: 40 + version, png: true));
            var manifest = version == 3
                ? $$$"""
                  {"@context":"http://iiif.io/api/presentation/3/context.json","id":"https://example.org/m","type":"Manifest",
                   "label":{"en":["Harbour views"]},"metadata":[{"label":{"en":["Creator"]},"value":{"none":["Berthe Example"]}}],
                   "rights":"http://creativecommons.org/licenses/by/4.0/",
                   "items":[
                    {"id":"https://example.org/c1","type":"Canvas","label":{"en":["Morning v{{{version}}}"]},"width":72,"height":54,
                     "metadata":[{"label":{"en":["Date"]},"value":{"none":["1874"]}},{"label":{"en":["Medium"]},"value":{"none":["Oil"]}}],
                     "items":[{"id":"https://example.org/p1","type":"AnnotationPage","items":[{"id":"https://example.org/a1","type":"Annotation","motivation":"painting",
                       "body":{"id":"img/one.jpg","type":"Image","format":"image/jpeg"},"target":"https://example.org/c1"}]}]},
                    {"id":"https://example.org/c2","type":"Canvas","label":{"en":["Evening v{{{version}}}"]},"width":72,"height":54,
                     "items":[{"id":"https://example.org/p2","type":"AnnotationPage","items":[{"id":"https://example.org/a2","type":"Annotation","motivation":"painting",
                       "body":{"id":"img/two.png","type":"Image","format":"image/png"},"target":"https://example.org/c2"}]}]}]}
                  """
                : $$$"""
                  {"@context":"http://iiif.io/api/presentation/2/context.json","@id":"https://example.org/m2","@type":"sc:Manifest","label":"Harbour views",
                   "metadata":[{"label":"Creator","value":"Berthe Example"}],"license":"http://creativecommons.org/licenses/by/4.0/",
                   "sequences":[{"@type":"sc:Sequence","canvases":[
                    {"@id":"https://example.org/c1","@type":"sc:Canvas","label":"Morning v{{{version}}}","width":72,"height":54,
                     "metadata":[{"label":"Date","value":"1874"},{"label":"Medium","value":"Oil"}],
                     "images":[{"@type":"oa:Annotation","motivation":"sc:painting","resource":{"@id":"img/one.jpg","@type":"dctypes:Image"},"on":"https://example.org/c1"}]},
                    {"@id":"https://example.org/c2","@type":"sc:Canvas","label":"Evening v{{{version}}}","width":72,"height":54,
                     "images":[{"@type":"oa:Annotation","motivation":"sc:painting","resource":{"@id":"img/two.png","@type":"dctypes:Image"},"on":"https://example.org/c2"}]}]}]}
                  """;
            var path = Path.Combine(folder, "manifest.json");
            await File.WriteAllTextAsync(path, manifest);

            var report = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(path));

            Assert.Equal(2, report.Count(IngestOutcome.Imported));
            await using var db = await Contexts.CreateDbContextAsync();
            var morning = await db.Artworks.Include(a => a.Artist).SingleAsync(a => a.Id == report.Rows[0].ArtworkId);
            Assert.Equal(($"Morning v{version}", "Berthe Example", 1874, "Oil", "http://creativecommons.org/licenses/by/4.0/"),
                (morning.Title, morning.Artist!.Name, morning.Year!.Value, morning.Medium!, morning.Licence!));
            var evening = await db.Artworks.SingleAsync(a => a.Id == report.Rows[1].ArtworkId);
            Assert.Equal(($"Evening v{version}", "PNG"), (evening.Title, evening.ImageFormat));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ZipUpload_WithCsvAndNestedFolders_ImportsLikeTheFolder()
    {
        var folder = ImportSamples.NewFolder("ag-zip-");
        try
        {
            var zip = Path.Combine(folder, "batch.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                await Write(archive, "metadata.csv", "file,title,artist\nnested/deeper/a.jpg,Nested work,Zip Painter\nb.jpg,Top work,Zip Painter\n"u8.ToArray());
                await Write(archive, "nested/deeper/a.jpg", ImportSamples.Image(1, salt: 5));
                await Write(archive, "b.jpg", ImportSamples.Image(2, salt: 5));
            }

            var report = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(zip));

            Assert.Equal(2, report.Count(IngestOutcome.Imported));
            await using var db = await Contexts.CreateDbContextAsync();
            Assert.Equal(2, await db.Artworks.CountAsync(a => a.Artist!.Name == "Zip Painter" && (a.Title == "Nested work" || a.Title == "Top work")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Import_ByAVisitor_IsRefusedBeforeAnythingIsRead()
    {
        var visitor = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "visitor")], "test"));

        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => Imports.ImportAsync(visitor, new ImportRequest("/nonexistent")));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => Imports.ImportAsync(GalleryAccess.Anonymous, new ImportRequest("/nonexistent")));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => Imports.EnqueueAsync(visitor, new ImportRequest("/nonexistent")));
    }

    [Fact]
    public async Task QueuedImport_RunByTheWorker_FinishesWithItsReport()
    {
        var folder = ImportSamples.CsvFolder(3, salt: 6);
        try
        {
            var jobId = await Imports.EnqueueAsync(GalleryAccess.Operator, new ImportRequest(folder));
            var worker = new ImportWorker(Imports, fixture.Services.GetRequiredService<Core.Jobs.JobStore>(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ImportWorker>.Instance);

            Assert.True(await worker.RunOnceAsync(CancellationToken.None));
            Assert.False(await worker.RunOnceAsync(CancellationToken.None));

            var report = await Imports.ReportAsync(GalleryAccess.Operator, jobId);
            Assert.Equal(3, report.Count(IngestOutcome.Imported));
            var job = (await Imports.RecentAsync(GalleryAccess.Operator)).Single(j => j.Id == jobId);
            Assert.Equal((JobState.Succeeded, 3, 3), (job.State, job.Done, job.Total));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Chunk_RefusedByTheDatabaseForOneRow_IsRedoneRowByRowAndOnlyThatRowFails()
    {
        var folder = ImportSamples.NewFolder("ag-refused-");
        try
        {
            // A refusal no import check foresees: the database itself rejects one title.
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                await db.Database.ExecuteSqlRawAsync("""
                    CREATE OR REPLACE FUNCTION refuse_one_title() RETURNS trigger AS $$
                    BEGIN
                      IF NEW."Title" = 'Refused by the database' THEN RAISE EXCEPTION 'this title is refused by a test trigger'; END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql;
                    CREATE TRIGGER refuse_one_title BEFORE INSERT ON "Artworks" FOR EACH ROW EXECUTE FUNCTION refuse_one_title();
                    """);
            }

            var csv = new System.Text.StringBuilder("file,title\n");
            for (var i = 0; i < 5; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, $"r{i}.jpg"), ImportSamples.Image(i, salt: 8));
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"r{i}.jpg,{(i == 2 ? "Refused by the database" : $"Accepted {i}")}\n");
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "metadata.csv"), csv.ToString());

            var report = await Imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));

            Assert.Equal(4, report.Count(IngestOutcome.Imported));
            var refused = Assert.Single(report.Rows, r => r.Outcome == IngestOutcome.Failed);
            Assert.Contains("r2.jpg", refused.Source, StringComparison.Ordinal);
            Assert.Contains("refused by a test trigger", refused.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS refuse_one_title ON \"Artworks\"");
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task QueuedImport_WhoseUploadIsGone_FailsItsJobWithTheReasonInsteadOfRetrying()
    {
        var gone = Path.Combine(Path.GetTempPath(), "ag-gone-" + Guid.NewGuid().ToString("N"));
        var jobId = await Imports.EnqueueAsync(GalleryAccess.Operator, new ImportRequest(gone));
        var worker = new ImportWorker(Imports, fixture.Services.GetRequiredService<Core.Jobs.JobStore>(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ImportWorker>.Instance);

        Assert.True(await worker.RunOnceAsync(CancellationToken.None));

        var job = (await Imports.RecentAsync(GalleryAccess.Operator)).Single(j => j.Id == jobId);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains(gone, job.Error, StringComparison.Ordinal);
        Assert.False(await worker.RunOnceAsync(CancellationToken.None));
    }

    private static async Task Write(ZipArchive archive, string name, byte[] data)
    {
        await using var stream = archive.CreateEntry(name).Open();
        await stream.WriteAsync(data);
    }
}
