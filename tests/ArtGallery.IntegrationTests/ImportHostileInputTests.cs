using System.IO.Compression;
using System.Text;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// Hostile and broken input: every bad file or row gets its own clear report row, the process stays
/// up, and every good row in the same batch is imported.
/// </summary>
public sealed class ImportHostileInputTests(EmptyDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<EmptyDatabaseFixture>
{
    private sealed record Case(string Kind, string CsvLine, IngestOutcome Expected, string ReasonContains);

    [Fact]
    public async Task HostileBatch_EveryBadRowReported_AndEveryGoodRowImported()
    {
        var folder = ImportSamples.NewFolder("ag-hostile-");
        var kinds = new List<string>();
        try
        {
            void Save(string name, byte[] data) => File.WriteAllBytes(Path.Combine(folder, name), data);
            foreach (var i in new[] { 1, 2, 3, 4, 6, 8, 9 })
            {
                Save($"good-{i}.jpg", ImportSamples.Image(i, salt: 100));
            }

            var jpeg = ImportSamples.Image(20, salt: 100);
            Save("truncated.jpg", jpeg[..(jpeg.Length * 2 / 5)]);
            Save("bomb.png", PngBomb(ImportSamples.Image(21, salt: 100, png: true), 50_000, 50_000));
            Save("empty.jpg", []);
            Save("png-named.jpg", ImportSamples.Image(22, salt: 100, png: true));
            Save("text.jpg", "this is a shopping list, not a painting"u8.ToArray());
            using (var big = File.Create(Path.Combine(folder, "big.jpg")))
            {
                big.SetLength(65L * 1024 * 1024);
            }

            Save("unlisted.jpg", ImportSamples.Image(23, salt: 100));
            Save("notes.txt", "curator's notes"u8.ToArray());

            Case[] cases =
            [
                // A cut inside the headers fails the decoder; a cut inside the scan fails the end-marker check.
                new("truncated JPEG", "truncated.jpg,Truncated,P,1900,x", IngestOutcome.Failed, "ends early|not a readable image"),
                new("PNG bomb (huge declared size)", "bomb.png,Bomb,P,1900,x", IngestOutcome.Failed, "50000×50000"),
                new("zero-byte file", "empty.jpg,Empty,P,1900,x", IngestOutcome.Failed, "empty"),
                new("wrong extension (PNG named .jpg)", "png-named.jpg,Mislabelled,P,1900,x", IngestOutcome.Failed, "mislabelled"),
                new("text renamed .jpg", "text.jpg,Text,P,1900,x", IngestOutcome.Failed, "not"),
                new("oversized file", "big.jpg,Big,P,1900,x", IngestOutcome.Failed, "the limit is 64 MiB"),
                new("missing image for a row", "missing.jpg,Missing,P,1900,x", IngestOutcome.Failed, "no image file"),
                new("non-numeric year", "good-3.jpg,Bad year,P,nineteen-ten,x", IngestOutcome.Failed, "is not a year"),
                new("over-long title", $"good-4.jpg,{new string('x', 600)},P,1900,x", IngestOutcome.Failed, "the title is 600 characters"),
                new("duplicate row", "good-1.jpg,Duplicate,P,1901,x", IngestOutcome.Skipped, "duplicate row"),
                new("stray quote in an unquoted field", "ghost-a.jpg,Bad \"quote,P,1900,x", IngestOutcome.Failed, "malformed quoting"),
                new("text after a closing quote", "ghost-e.jpg,\"Closed\" early,P,1900,x", IngestOutcome.Failed, "malformed quoting"),
                new("path traversal in a row", "../outside.jpg,Out,P,1900,x", IngestOutcome.Failed, "leaves the import folder"),
                new("absolute path in a row", "/etc/passwd,Abs,P,1900,x", IngestOutcome.Failed, "leaves the import folder"),
                new("wrong field count", "ghost-d.jpg,Too,few", IngestOutcome.Failed, "the header has 5"),
                new("invalid UTF-8", "ghost-c.jpg,Caf\uFFFF,P,1900,x", IngestOutcome.Failed, "not valid UTF-8"),
                new("no file named", ",No file,P,1900,x", IngestOutcome.Failed, "no image named"),
                new("control characters (NUL) in a title", "good-8.jpg,Nul\0title,P,1900,x", IngestOutcome.Failed, "control characters"),
                new("quote never closed", "ghost-b.jpg,\"Never closed,P,1900,x", IngestOutcome.Failed, "never closed"),
            ];
            string[] good = ["good-1.jpg,Good one,Painter,1901,x", "good-2.jpg,Good two,Painter,1902,x"];
            string[] after = ["good-6.jpg,Good six,Painter,1906,x", "good-9.jpg,Good nine,Painter,1909,x"];
            var lines = new List<string> { "file,title,artist,year,notes" };
            lines.AddRange(good);
            lines.AddRange(cases.Select(c => c.CsvLine));
            lines.AddRange(after);

            // BOM first; "\uFFFF" stands for bytes that are not UTF-8 at all.
            var bytes = new List<byte>(Encoding.UTF8.GetPreamble());
            foreach (var line in lines)
            {
                var parts = line.Split('\uFFFF');
                bytes.AddRange(Encoding.UTF8.GetBytes(parts[0]));
                if (parts.Length > 1)
                {
                    bytes.AddRange(new byte[] { 0xC3, 0x28, 0xFF });
                    bytes.AddRange(Encoding.UTF8.GetBytes(parts[1]));
                }

                bytes.Add((byte)'\n');
            }

            Save("metadata.csv", [.. bytes]);

            var report = await Imports().ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));

            for (var i = 0; i < cases.Length; i++)
            {
                var line = 2 + good.Length + i;
                var row = Assert.Single(report.Rows, r => r.Source == $"metadata.csv:{line}" || r.Source.StartsWith($"metadata.csv:{line} ", StringComparison.Ordinal));
                Assert.True(row.Outcome == cases[i].Expected && cases[i].ReasonContains.Split('|').Any(r => (row.Reason ?? string.Empty).Contains(r, StringComparison.Ordinal)),
                    $"{cases[i].Kind}: {row.Outcome} \"{row.Reason}\"");
                kinds.Add(cases[i].Kind);
            }

            var header = Assert.Single(report.Rows, r => r.Source == "metadata.csv:1");
            Assert.Contains("\"notes\"", header.Reason, StringComparison.Ordinal);
            kinds.Add("unknown column");
            var notes = Assert.Single(report.Rows, r => r.Source == "notes.txt");
            Assert.Contains("not an image file", notes.Reason, StringComparison.Ordinal);
            kinds.Add("non-image file in the folder");

            // The good rows around the bad ones, including after the never-closed quote, and the
            // unlisted image: all imported; the BOM did not hide the header.
            var imported = report.Rows.Where(r => r.Outcome == IngestOutcome.Imported).Select(r => r.Source).ToList();
            Assert.Equal(5, imported.Count);
            Assert.Contains(imported, s => s.EndsWith(" good-6.jpg", StringComparison.Ordinal));
            Assert.Contains("unlisted.jpg", imported);
            kinds.Add("byte order mark");
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                Assert.Equal(["Good nine", "Good one", "Good six", "Good two", "Unlisted"],
                    await db.Artworks.Where(a => a.Source!.Contains("good-") || a.Source == "unlisted.jpg").Select(a => a.Title).OrderBy(t => t).ToListAsync());
            }

            kinds.AddRange(await FileLevelProblemsAsync(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        output.WriteLine($"hostile input: {kinds.Count} kinds, each reported with a clear reason: {string.Join("; ", kinds)}");
        Assert.True(kinds.Count >= 20);
    }

    /// <summary>Whole files that are unusable: each is one failed row; the good parts of ZIPs and manifests still import.</summary>
    private async Task<List<string>> FileLevelProblemsAsync(string root)
    {
        var kinds = new List<string>();
        var options = new ImportOptions { MaxEntryBytes = 1024 * 1024, MaxZipBytes = 3 * 1024 * 1024, MaxZipEntries = 40 };
        await using var services = TestDatabase.Services(fixture.Database, fixture.ImagesDirectory, s => s.Configure<ImportOptions>(o =>
        {
            o.MaxEntryBytes = options.MaxEntryBytes;
            o.MaxZipBytes = options.MaxZipBytes;
            o.MaxZipEntries = options.MaxZipEntries;
        }));
        var imports = services.GetRequiredService<BulkImportService>();

        async Task<ImportReport> Run(string kind, string name, byte[] content, params (string Name, byte[] Data)[] beside)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, "case-" + kinds.Count)).FullName;
            await File.WriteAllBytesAsync(Path.Combine(folder, name), content);
            foreach (var (other, data) in beside)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, other), data);
            }

            kinds.Add(kind);
            return await imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(Path.Combine(folder, name)));
        }

        void Fails(ImportReport report, string contains) =>
            Assert.Contains(report.Rows, r => r.Outcome == IngestOutcome.Failed && (r.Reason ?? string.Empty).Contains(contains, StringComparison.Ordinal));

        Fails(await Run("empty CSV", "metadata.csv", []), "the CSV is empty");
        Fails(await Run("CSV with no header", "metadata.csv", "a.jpg,Title,Artist\nb.jpg,Other,Artist\n"u8.ToArray()), "is not a header");
        Fails(await Run("bad IIIF JSON", "manifest.json", "{\"type\": \"Manifest\", \"items\": [ {"u8.ToArray()), "not valid JSON");
        Fails(await Run("JSON that is not a IIIF manifest", "manifest.json", "[1, 2, 3]"u8.ToArray()), "not a IIIF Presentation manifest");

        var outside = await Run("IIIF pointing outside its folder (and at remote and file: URLs)", "manifest.json", Encoding.UTF8.GetBytes(Manifest(
            "../good-1.jpg", "https://example.org/remote.jpg", "file:///etc/passwd", "inside.jpg")), ("inside.jpg", ImportSamples.Image(30, salt: 100)));
        Assert.Equal(3, outside.Count(IngestOutcome.Failed));
        Assert.Equal(2, outside.Rows.Count(r => (r.Reason ?? string.Empty).Contains("outside the manifest's folder", StringComparison.Ordinal)));
        Assert.Contains(outside.Rows, r => (r.Reason ?? string.Empty).Contains("remote", StringComparison.Ordinal));
        Assert.Equal(1, outside.Count(IngestOutcome.Imported));

        var surrogate = await Run("IIIF label with a broken Unicode escape", "manifest.json", Encoding.UTF8.GetBytes(
            Manifest("broken.jpg", "fine.jpg").Replace("Canvas 0", "\\ud800 broken", StringComparison.Ordinal)),
            ("broken.jpg", ImportSamples.Image(36, salt: 100)), ("fine.jpg", ImportSamples.Image(37, salt: 100)));
        Assert.Equal((1, 1), (surrogate.Count(IngestOutcome.Failed), surrogate.Count(IngestOutcome.Imported)));
        Assert.Contains("canvas1", surrogate.Rows.Single(r => r.Outcome == IngestOutcome.Failed).Source, StringComparison.Ordinal);

        var traversal = await Run("path traversal names in a ZIP", "traversal.zip", Zip(
            ("../evil.jpg", ImportSamples.Image(31, salt: 100)), ("/abs/evil.jpg", ImportSamples.Image(32, salt: 100)),
            ("..\\win-evil.jpg", ImportSamples.Image(33, salt: 100)), ("ok/nested/fine.jpg", ImportSamples.Image(34, salt: 100))));
        Assert.Equal(3, traversal.Count(IngestOutcome.Failed));
        Assert.Equal(1, traversal.Count(IngestOutcome.Imported));
        Assert.False(File.Exists(Path.Combine(root, "evil.jpg")));

        var bomb = await Run("ZIP bomb: one entry unpacking past the entry limit", "bomb.zip", Zip(
            ("bomb.jpg", new byte[8 * 1024 * 1024]), ("fine.jpg", ImportSamples.Image(35, salt: 100))));
        Fails(bomb, "unpacks to more than 1 MiB");
        Assert.Equal(1, bomb.Count(IngestOutcome.Imported));

        var total = await Run("ZIP bomb: entries unpacking past the total limit", "total.zip",
            Zip([.. Enumerable.Range(0, 5).Select(i => ($"part-{i}.bin", new byte[900 * 1024]))]));
        Fails(total, "in all");
        Fails(await Run("ZIP with too many entries", "many.zip", Zip([.. Enumerable.Range(0, 60).Select(i => ($"e{i}.txt", new byte[1]))])), "the limit is 40");
        Fails(await Run("not a ZIP at all", "fake.zip", "PK? no, just text"u8.ToArray()), "not a readable ZIP");
        return kinds;
    }

    private BulkImportService Imports() => fixture.Services.GetRequiredService<BulkImportService>();

    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    private static string Manifest(params string[] images) =>
        "{\"type\":\"Manifest\",\"id\":\"https://example.org/m\",\"label\":{\"en\":[\"Hostile\"]},\"items\":[" + string.Join(",", images.Select((image, i) =>
            $"{{\"id\":\"https://example.org/c{i}\",\"type\":\"Canvas\",\"label\":{{\"en\":[\"Canvas {i}\"]}},\"items\":[{{\"type\":\"AnnotationPage\",\"items\":[{{\"type\":\"Annotation\",\"motivation\":\"painting\",\"body\":{{\"id\":\"{image}\",\"type\":\"Image\"}}}}]}}]}}")) + "]}";

    private static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A real PNG whose header claims <paramref name="width"/>×<paramref name="height"/> (CRC fixed, so only the size is wrong).</summary>
    private static byte[] PngBomb(byte[] png, int width, int height)
    {
        var data = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(29), HostileImages.Crc32(data.AsSpan(12, 17)));
        return data;
    }
}
