using System.IO.Compression;
using System.Text.Json;
using ArtGallery.Core.Import;
using ArtGallery.Core.Jobs;
using ArtGallery.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// Staged web uploads and unpacked ZIPs expire once no unfinished import needs them: a queued web import
/// keeps its upload and its unpacked ZIP however old, a live CLI import keeps every unpacked ZIP.
/// </summary>
public sealed class ImportStagingExpiryTests(EmptyDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<EmptyDatabaseFixture>
{
    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    [Fact]
    public async Task Sweep_DeletesStagedFoldersPastTheirLifetime_AndKeepsWhatAQueuedImportNeeds()
    {
        var root = ImportSamples.NewFolder("ag-staging-");
        var jobs = new List<Job>();
        try
        {
            var planner = new ImportPlanner(Options.Create(new ImportOptions { StagingDirectory = root }), Options.Create(new StorageOptions()));
            var queuedZip = Staged(Path.Combine(planner.UploadsRoot, "queued"), "batch.zip");
            var queuedUnpacked = Directory.CreateDirectory(planner.ZipFolderFor(queuedZip)).FullName;
            var doneUpload = Staged(Path.Combine(planner.UploadsRoot, "done"), "done.zip");
            var doneUnpacked = Directory.CreateDirectory(planner.ZipFolderFor(doneUpload)).FullName;
            var freshUpload = Path.GetDirectoryName(Staged(Path.Combine(planner.UploadsRoot, "fresh"), "fresh.csv"))!;
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                jobs.Add(new Job
                {
                    Kind = BulkImportService.JobKind, State = JobState.Queued, Payload = JsonSerializer.Serialize(new ImportRequest(queuedZip)),
                    DedupKey = $"staging-test-queued-{Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UtcNow,
                });
                jobs.Add(new Job
                {
                    Kind = BulkImportService.JobKind, State = JobState.Succeeded, Payload = JsonSerializer.Serialize(new ImportRequest(doneUpload)),
                    CreatedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow,
                });

                // A queued job whose payload is not a request needs no files, and does not stop the sweep.
                jobs.Add(new Job
                {
                    Kind = BulkImportService.JobKind, State = JobState.Queued, Payload = "[1]",
                    DedupKey = $"staging-test-unreadable-{Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UtcNow,
                });
                db.Jobs.AddRange(jobs);
                await db.SaveChangesAsync();
            }

            var now = DateTimeOffset.UtcNow;
            var eightDaysAgo = now.AddDays(-8).UtcDateTime;
            foreach (var folder in new[] { Path.GetDirectoryName(queuedZip)!, queuedUnpacked, Path.GetDirectoryName(doneUpload)!, doneUnpacked })
            {
                Directory.SetLastWriteTimeUtc(folder, eightDaysAgo);
            }

            var sweeper = new ImportStagingSweeper(fixture.Services.GetRequiredService<JobStore>(), planner, Options.Create(new ImportOptions { StagingDirectory = root, StagingLifetimeHours = 7 * 24 }),
                new ManualTimeProvider(now), NullLogger<ImportStagingSweeper>.Instance);

            var deleted = await sweeper.SweepAsync();

            output.WriteLine($"staging sweep: deleted={deleted}; left: {string.Join(", ", Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(root, d)))}");
            Assert.Equal(2, deleted);
            Assert.False(Directory.Exists(Path.GetDirectoryName(doneUpload)), "a finished import's upload past its lifetime is deleted");
            Assert.False(Directory.Exists(doneUnpacked), "and so is its unpacked ZIP");
            Assert.True(File.Exists(queuedZip), "a queued import's upload is kept however old");
            Assert.True(Directory.Exists(queuedUnpacked), "and so is its unpacked ZIP");
            Assert.True(Directory.Exists(freshUpload), "an upload younger than the lifetime is kept");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            var ids = jobs.Select(j => j.Id).ToList();
            await using var db = await Contexts.CreateDbContextAsync();
            await db.Jobs.Where(j => ids.Contains(j.Id)).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task Sweep_WhileACliImportIsAlive_KeepsEveryUnpackedZip_AndDeletesThemOnceItIsNot()
    {
        var root = ImportSamples.NewFolder("ag-staging-cli-");
        long jobId;
        try
        {
            var planner = new ImportPlanner(Options.Create(new ImportOptions { StagingDirectory = root }), Options.Create(new StorageOptions()));
            var unpacked = Directory.CreateDirectory(Path.Combine(planner.StagingRoot, ImportPlanner.ZipFolderPrefix + "0123456789abcdef01234567")).FullName;
            var now = DateTimeOffset.UtcNow;
            Directory.SetLastWriteTimeUtc(unpacked, now.AddDays(-8).UtcDateTime);
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                // A CLI import stores no request: its job has no payload, only its heartbeat.
                var job = new Job
                {
                    Kind = BulkImportService.JobKind, State = JobState.Running, DedupKey = $"staging-test-cli-{Guid.NewGuid():N}",
                    CreatedAt = now.AddDays(-9), HeartbeatAt = now.AddMinutes(-1),
                };
                db.Jobs.Add(job);
                await db.SaveChangesAsync();
                jobId = job.Id;
            }

            var time = new ManualTimeProvider(now);
            var sweeper = new ImportStagingSweeper(fixture.Services.GetRequiredService<JobStore>(), planner, Options.Create(new ImportOptions { StagingDirectory = root, StagingLifetimeHours = 7 * 24 }),
                time, NullLogger<ImportStagingSweeper>.Instance);

            Assert.Equal(0, await sweeper.SweepAsync());
            Assert.True(Directory.Exists(unpacked), "a live CLI import may be reading any unpacked ZIP");

            // Killed, it stays Running with its last heartbeat: a week later it no longer holds the ZIPs.
            time.Advance(TimeSpan.FromDays(8));
            Assert.Equal(1, await sweeper.SweepAsync());
            Assert.False(Directory.Exists(unpacked));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        await using var cleanup = await Contexts.CreateDbContextAsync();
        await cleanup.Jobs.Where(j => j.Id == jobId).ExecuteDeleteAsync();
    }

    /// <summary>A file in a new folder (a ZIP with one entry, or a line of text).</summary>
    private static string Staged(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (name.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            using var writer = new StreamWriter(zip.CreateEntry("metadata.csv").Open());
            writer.Write($"file,title\n{name},{Guid.NewGuid():N}\n");
        }
        else
        {
            File.WriteAllText(path, "file,title\n");
        }

        return Path.GetFullPath(path);
    }
}
