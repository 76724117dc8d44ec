using System.Diagnostics;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Search;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// Every hostile file of <see cref="HostileImages"/> through the two doors strangers' images come in
/// by: a curator's bulk import and a visitor's search by photo. Each must be answered (imported, or
/// refused with a reason) quickly, nothing may crash, and the process must not keep the memory.
/// Alone in its collection, run after the parallel ones: the process's memory and the CPU are measured.
/// </summary>
[Collection(HostileFileSuiteIsolation.Name)]
public sealed class HostileFileSuiteTests(DemoDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task HostileFiles_ThroughImportAndPhotoSearch_AreAnsweredInUnder2sWithoutCrashOrMemoryGrowth()
    {
        var files = HostileImages.All();
        var imports = fixture.Services.GetRequiredService<BulkImportService>();
        var search = fixture.Services.GetRequiredService<SimilarSearchService>();
        var root = ImportSamples.NewFolder("ag-hostile-suite-");
        try
        {
            // Warm up (encoder session, JIT) so the baseline holds what a running app already holds.
            await ImportOneAsync(imports, root, "warm-up.jpg", ImportSamples.Image(1, salt: 700));
            await search.SimilarToPhotoAsync(ImportSamples.Image(2, salt: 700), new SimilarQuery());
            var baseline = WorkingSetAfterCollection();
            var crashes = new List<string>();
            var cutImported = new List<string>();
            var slowest = 0L;
            var maxGrowth = 0L;
            foreach (var file in files)
            {
                var import = Stopwatch.StartNew();
                string imported;
                try
                {
                    var row = (await ImportOneAsync(imports, root, file.Name, file.Data)).Rows.Single(r => r.Source.EndsWith(file.Name, StringComparison.Ordinal));
                    imported = row.Outcome == IngestOutcome.Imported ? "imported" : $"{row.Outcome}: {row.Reason}";
                    if (row.Outcome == IngestOutcome.Imported && file.Kind.Contains(" cut ", StringComparison.Ordinal))
                    {
                        cutImported.Add(file.Kind);
                    }
                    if (row.Outcome != IngestOutcome.Imported && string.IsNullOrWhiteSpace(row.Reason))
                    {
                        crashes.Add($"{file.Kind}: import gave no reason");
                    }
                }
                catch (Exception ex)
                {
                    imported = $"CRASH {ex.GetType().Name}: {ex.Message}";
                    crashes.Add($"{file.Kind}: import {ex.GetType().Name}");
                }

                import.Stop();
                var photo = Stopwatch.StartNew();
                string searched;
                try
                {
                    searched = $"{(await search.SimilarToPhotoAsync(file.Data, new SimilarQuery())).Items.Count} results";
                }
                catch (PhotoSearchException ex)
                {
                    searched = ex.Message;
                }
                catch (Exception ex)
                {
                    searched = $"CRASH {ex.GetType().Name}: {ex.Message}";
                    crashes.Add($"{file.Kind}: photo search {ex.GetType().Name}");
                }

                photo.Stop();
                var growth = Environment.WorkingSet - baseline;
                slowest = Math.Max(slowest, Math.Max(import.ElapsedMilliseconds, photo.ElapsedMilliseconds));
                maxGrowth = Math.Max(maxGrowth, growth);
                output.WriteLine($"{file.Kind} ({file.Data.Length:N0} bytes): import {import.ElapsedMilliseconds} ms [{imported}]; " +
                    $"photo search {photo.ElapsedMilliseconds} ms [{searched}]; rss +{growth / (1024 * 1024)} MB");
            }

            // One mixed batch: every hostile file beside good ones; the good ones all come in.
            var batch = Directory.CreateDirectory(Path.Combine(root, "mixed")).FullName;
            foreach (var file in files)
            {
                await File.WriteAllBytesAsync(Path.Combine(batch, file.Name), file.Data);
            }

            string[] good = ["good-a.jpg", "good-b.png", "good-c.jpg"];
            for (var i = 0; i < good.Length; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(batch, good[i]), ImportSamples.Image(10 + i, salt: 701, png: good[i].EndsWith(".png", StringComparison.Ordinal)));
            }

            var mixed = await imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(batch));
            maxGrowth = Math.Max(maxGrowth, Environment.WorkingSet - baseline);

            // 2 s on a machine whose run queue fits its cores; on a shared machine running more than that,
            // the bound grows with the measured load (the CPU each answer gets shrinks by that much).
            var load = LoadFactor();
            var bound = (long)(2000 * load);
            output.WriteLine($"hostile_kinds={files.Count} crashes={crashes.Count} max_ms={slowest} max_rss_growth_mb={maxGrowth / (1024 * 1024)}");
            var cutKinds = files.Count(f => f.Kind.Contains(" cut ", StringComparison.Ordinal));
            var unexpected = cutImported.Where(k => !KnownCutGaps.Contains(k)).ToList();
            output.WriteLine($"cut_kinds={cutKinds} imported={cutImported.Count} of which known gaps={cutImported.Count - unexpected.Count}: {string.Join("; ", cutImported)}");
            output.WriteLine($"load_factor={load:0.0} (1-minute load average / {Environment.ProcessorCount} cores, at least 1): bound {bound} ms");
            Assert.Empty(crashes);
            Assert.Empty(unexpected);
            Assert.All(good, g => Assert.Contains(mixed.Rows, r => r.Source.EndsWith(g, StringComparison.Ordinal) && r.Outcome == IngestOutcome.Imported));
            Assert.True(files.Count >= 40, $"{files.Count} kinds");
            Assert.True(slowest < bound, $"slowest answer took {slowest} ms; the bound at load factor {load:0.0} is {bound} ms");
            Assert.True(maxGrowth < 300L * 1024 * 1024, $"memory grew by {maxGrowth / (1024 * 1024)} MB");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ImportFolder_WithAnSvgBesideAPainting_ReportsTheSvgInsteadOfSkippingIt()
    {
        var folder = ImportSamples.NewFolder("ag-svg-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "painting.jpg"), ImportSamples.Image(3, salt: 702));
            await File.WriteAllTextAsync(Path.Combine(folder, "drawing.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");

            var result = await fixture.Services.GetRequiredService<BulkImportService>().ImportAsync(GalleryAccess.Operator, new ImportRequest(folder, ImportFormat.Folder));

            var svg = Assert.Single(result.Rows, r => r.Source == "drawing.svg");
            Assert.Equal(IngestOutcome.Failed, svg.Outcome);
            Assert.Contains("SVG files are not imported", svg.Reason, StringComparison.Ordinal);
            Assert.Contains(result.Rows, r => r.Source == "painting.jpg" && r.Outcome == IngestOutcome.Imported);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Cut files the importer still takes, by name (README, "Not defended yet"): none since libjpeg's scan
    /// check (decision 14) refuses the JPEG cut in its scan with its end marker put back. A file listed here
    /// is printed as a known gap instead of failing the test.
    /// </summary>
    private static readonly HashSet<string> KnownCutGaps = new(StringComparer.Ordinal);

    private static async Task<ImportReport> ImportOneAsync(BulkImportService imports, string root, string name, byte[] data)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, name), data);
        return await imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));
    }

    private static double LoadFactor()
    {
        var loadAverage = File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return Math.Max(1, loadAverage / Environment.ProcessorCount);
    }

    private static long WorkingSetAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Environment.WorkingSet;
    }
}

/// <summary>Runs <see cref="HostileFileSuiteTests"/> with no other test class beside it in the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileFileSuiteIsolation
{
    public const string Name = "Hostile file suite (measures the process alone)";
}
