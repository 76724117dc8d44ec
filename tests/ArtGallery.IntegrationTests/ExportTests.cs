using System.Text;
using System.Text.Json.Nodes;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Export;
using ArtGallery.Core.Import;
using ArtGallery.Core.Infrastructure;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.IntegrationTests;

/// <summary>Collection export: CSV that imports back to the same metadata, and a IIIF v3 manifest with tagging annotations.</summary>
public sealed class ExportTests(EmptyDatabaseFixture fixture) : IClassFixture<EmptyDatabaseFixture>
{
    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    private CollectionExporter Exporter => fixture.Services.GetRequiredService<CollectionExporter>();

    private sealed record Snapshot(string Title, string? Artist, int? Year, string? Medium, string? Dimensions, string? Description, string? Credit, string? Licence, string Tags);

    [Fact]
    public async Task CsvExport_ImportedIntoAnotherGallery_YieldsTheSameMetadata()
    {
        var collectionId = await SeedCollectionAsync(salt: 500, published: false);
        var export = await Exporter.LoadAsync(GalleryAccess.Operator, collectionId);
        var folder = ImportSamples.NewFolder("ag-export-");
        var otherImages = ImportSamples.NewFolder("ag-images-other-");
        var otherDatabase = await TestDatabase.CreateEmptyAsync("ag_test_roundtrip");
        try
        {
            await using (var writer = new StreamWriter(Path.Combine(folder, "export.csv"), false, new UTF8Encoding(false)))
            {
                await CollectionExporter.WriteCsvAsync(export!, writer);
            }

            Assert.Equal(export!.Works.Count, await Exporter.CopyImagesAsync(export, folder));
            await using var other = TestDatabase.Services(otherDatabase, otherImages);
            await other.MigrateGalleryDatabaseAsync();
            var report = await other.GetRequiredService<BulkImportService>().ImportAsync(GalleryAccess.Operator, new ImportRequest(Path.Combine(folder, "export.csv")));

            Assert.Equal(export.Works.Count, report.Count(IngestOutcome.Imported));
            Assert.Equal(report.Rows.Count, report.Count(IngestOutcome.Imported));
            var original = await SnapshotsAsync(Contexts, export.Works.Select(w => w.Sha256).ToList());
            var roundTripped = await SnapshotsAsync(other.GetRequiredService<IDbContextFactory<GalleryDbContext>>(), export.Works.Select(w => w.Sha256).ToList());
            Assert.Equal(original, roundTripped);
        }
        finally
        {
            await TestDatabase.DropAsync(otherDatabase);
            Directory.Delete(folder, recursive: true);
            Directory.Delete(otherImages, recursive: true);
        }
    }

    [Fact]
    public async Task IiifManifest_IsPresentation3WithPaintingCanvasesAndTaggingAnnotations()
    {
        var collectionId = await SeedCollectionAsync(salt: 600, published: true);
        var export = await Exporter.LoadAsync(GalleryAccess.Anonymous, collectionId);

        var manifest = JsonNode.Parse(IiifManifestWriter.Write(export!, "https://gallery.example/").ToJsonString())!;

        var context = manifest["@context"]!.AsArray();
        Assert.Equal("http://iiif.io/api/presentation/3/context.json", context[^1]!.GetValue<string>());
        Assert.Equal("https://schema.org/", context[0]!["schema"]!.GetValue<string>());
        Assert.Equal("Manifest", manifest["type"]!.GetValue<string>());
        Assert.Equal($"https://gallery.example/collections/{collectionId}/manifest.json", manifest["id"]!.GetValue<string>());
        Assert.Equal("Export test 600", manifest["label"]!["none"]![0]!.GetValue<string>());
        var canvases = manifest["items"]!.AsArray();
        Assert.Equal(export!.Works.Count, canvases.Count);
        for (var i = 0; i < canvases.Count; i++)
        {
            var canvas = canvases[i]!;
            var work = export.Works[i];
            Assert.Equal("Canvas", canvas["type"]!.GetValue<string>());
            Assert.Equal((work.Width, work.Height), (canvas["width"]!.GetValue<int>(), canvas["height"]!.GetValue<int>()));
            Assert.Equal(work.Title, canvas["label"]!["none"]![0]!.GetValue<string>());
            var page = canvas["items"]![0]!;
            Assert.Equal("AnnotationPage", page["type"]!.GetValue<string>());
            var painting = page["items"]![0]!;
            Assert.Equal(("Annotation", "painting"), (painting["type"]!.GetValue<string>(), painting["motivation"]!.GetValue<string>()));
            Assert.Equal(canvas["id"]!.GetValue<string>(), painting["target"]!.GetValue<string>());
            Assert.Equal("Image", painting["body"]!["type"]!.GetValue<string>());
            Assert.Equal($"https://gallery.example/images/large/{work.Sha256}.jpg", painting["body"]!["id"]!.GetValue<string>());
        }

        // The first two works carry the model's suggestions (see SeedCollectionAsync), best first.
        var tagging = canvases[0]!["annotations"]![0]!["items"]!.AsArray();
        Assert.Equal(2, tagging.Count);
        var best = tagging[0]!;
        Assert.Equal(("Annotation", "tagging"), (best["type"]!.GetValue<string>(), best["motivation"]!.GetValue<string>()));
        Assert.Equal(("TextualBody", "Suggested Cubism"), (best["body"]!["type"]!.GetValue<string>(), best["body"]!["value"]!.GetValue<string>()));
        Assert.Equal(0.83, best["schema:confidence"]!.GetValue<double>(), 3);
        Assert.Equal(canvases[0]!["id"]!.GetValue<string>(), best["target"]!.GetValue<string>());
        Assert.Equal(0.41, tagging[1]!["schema:confidence"]!.GetValue<double>(), 3);
        Assert.Null(canvases[2]!["annotations"]);
    }

    [Fact]
    public async Task Export_OfAnUnpublishedCollection_NeedsACurator()
    {
        var collectionId = await SeedCollectionAsync(salt: 700, published: false);

        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => Exporter.LoadAsync(GalleryAccess.Anonymous, collectionId));
        Assert.NotNull(await Exporter.LoadAsync(GalleryAccess.Operator, collectionId));
        Assert.Null(await Exporter.LoadAsync(GalleryAccess.Operator, 987_654));
    }

    /// <summary>Imports four works with awkward metadata, puts them in a collection and adds model suggestions to two.</summary>
    private async Task<int> SeedCollectionAsync(int salt, bool published)
    {
        var folder = ImportSamples.NewFolder("ag-seed-");
        try
        {
            for (var i = 0; i < 4; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, $"w{i}.{(i == 3 ? "png" : "jpg")}"), ImportSamples.Image(i, salt, png: i == 3));
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "metadata.csv"),
                "file,title,artist,year,medium,dimensions,description,tags,credit,licence\n" +
                $"w0.jpg,\"Harbour, \"\"at dawn\"\" {salt}\",Berthe Example,1874,Oil on canvas,73 × 92 cm,\"Two lines,\nof description\",style:Impressionism; water; genre:Marine,Musée Example,CC BY 4.0\n" +
                $"w1.jpg,Untitled {salt},,,,,,,,\n" +
                $"w2.jpg,Grünwald {salt},\"Grünwald, Ilse\",c. 1921,Gouache,,,subject:Portrait,,\n" +
                $"w3.png,  Spaced {salt}  ,Berthe Example,1890,,,,style:Post-Impressionism | mood:Calm,,Public domain\n");
            var report = await fixture.Services.GetRequiredService<BulkImportService>().ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));
            Assert.Equal(4, report.Count(IngestOutcome.Imported));
            var ids = report.Rows.OrderBy(r => r.Index).Select(r => r.ArtworkId!.Value).ToList();

            await using var db = await Contexts.CreateDbContextAsync();
            var collection = new Collection { Name = $"Export test {salt}", Slug = $"export-test-{salt}", IsPublished = published, Description = "For the export tests." };
            for (var i = 0; i < ids.Count; i++)
            {
                collection.Items.Add(new CollectionItem { ArtworkId = ids[i], Position = i });
            }

            db.Collections.Add(collection);
            var cubism = new Tag { Vocabulary = TagVocabulary.Style, Name = "Suggested Cubism", Slug = $"suggested-cubism-{salt}" };
            var fauvism = new Tag { Vocabulary = TagVocabulary.Style, Name = "Suggested Fauvism", Slug = $"suggested-fauvism-{salt}" };
            foreach (var (artworkId, tag, confidence) in new[] { (ids[0], cubism, 0.83f), (ids[0], fauvism, 0.41f), (ids[1], fauvism, 0.66f) })
            {
                db.ArtworkTags.Add(new ArtworkTag { ArtworkId = artworkId, Tag = tag, Source = TagSource.Model, Status = TagStatus.Suggested, Confidence = confidence, CreatedBy = "style-recogniser test" });
            }

            await db.SaveChangesAsync();
            return collection.Id;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<Snapshot>> SnapshotsAsync(IDbContextFactory<GalleryDbContext> contexts, List<string> hashes)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var works = await db.Artworks.AsNoTracking().Where(a => hashes.Contains(a.ImageSha256))
            .Select(a => new
            {
                a.ImageSha256, a.Title, Artist = a.Artist != null ? a.Artist.Name : null, a.Year, a.Medium, a.Dimensions, a.Description, a.Credit, a.Licence,
                Tags = a.Tags.Where(t => t.Source == TagSource.Curator).Select(t => t.Tag!.Vocabulary.ToString() + ":" + t.Tag.Name).ToList(),
            })
            .ToListAsync();
        return [.. works.OrderBy(w => hashes.IndexOf(w.ImageSha256)).Select(w => new Snapshot(
            w.Title, w.Artist, w.Year, w.Medium, w.Dimensions, w.Description, w.Credit, w.Licence, string.Join("|", w.Tags.Order(StringComparer.Ordinal))))];
    }
}
