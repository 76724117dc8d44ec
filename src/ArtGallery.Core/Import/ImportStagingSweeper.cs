using System.Text.Json;
using ArtGallery.Core.Jobs;

namespace ArtGallery.Core.Import;

/// <summary>
/// The staging folder keeps every web upload (up to 2 GB each) and every unpacked ZIP (up to 8 GB), and
/// nothing removed them after their import. An upload folder or unpacked ZIP older than
/// <see cref="ImportOptions.StagingLifetimeHours"/> that no unfinished import needs is deleted: a queued
/// or running web import keeps its upload and its unpacked ZIP however old; a CLI import (whose request
/// is not stored) keeps every unpacked ZIP while it is alive. A finished import's report lives in the
/// database, not in these files; a CLI import run again after the sweep unpacks its ZIP again.
/// </summary>
public sealed partial class ImportStagingSweeper(
    IDbContextFactory<GalleryDbContext> contextFactory,
    ImportPlanner planner,
    IOptions<ImportOptions> options,
    TimeProvider clock,
    ILogger<ImportStagingSweeper> logger) : WorkerLoop(logger)
{
    /// <summary>Deletes the staged uploads and unpacked ZIPs past their lifetime that no unfinished import needs; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromHours(Math.Max(1, options.Value.StagingLifetimeHours));
        var candidates = Staged().Where(d => Directory.GetLastWriteTimeUtc(d) < cutoff.UtcDateTime).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        var (needed, cliImportAlive) = await NeededAsync(cutoff, cancellationToken);
        var deleted = 0;
        foreach (var folder in candidates.Where(d => !needed.Contains(d) && !(cliImportAlive && IsUnpackedZip(d))))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                deleted++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(logger, folder, ex.Message);
            }
        }

        return deleted;
    }

    protected override async Task<bool> RunPassAsync(CancellationToken stoppingToken)
    {
        if (await SweepAsync(stoppingToken) is > 0 and var deleted)
        {
            LogSwept(logger, deleted);
        }

        return false;
    }

    protected override Task WaitAsync(CancellationToken stoppingToken) =>
        Task.Delay(TimeSpan.FromMinutes(Math.Max(1, options.Value.StagingSweepMinutes)), clock, stoppingToken);

    /// <summary>Each web upload's folder and each unpacked ZIP, as full paths.</summary>
    private IEnumerable<string> Staged()
    {
        IEnumerable<string> uploads = Directory.Exists(planner.UploadsRoot) ? Directory.EnumerateDirectories(planner.UploadsRoot) : [];
        IEnumerable<string> zips = Directory.Exists(planner.StagingRoot) ? Directory.EnumerateDirectories(planner.StagingRoot, ImportPlanner.ZipFolderPrefix + "*") : [];
        return uploads.Concat(zips).Select(Path.GetFullPath);
    }

    private static bool IsUnpackedZip(string folder) => Path.GetFileName(folder).StartsWith(ImportPlanner.ZipFolderPrefix, StringComparison.Ordinal);

    /// <summary>The folders unfinished web imports read, and whether a CLI import has shown signs of life since <paramref name="cutoff"/>.</summary>
    private async Task<(HashSet<string> Needed, bool CliImportAlive)> NeededAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == BulkImportService.JobKind && (j.State == JobState.Queued || j.State == JobState.Running))
            .Select(j => new { j.Payload, LastSign = j.HeartbeatAt ?? j.CreatedAt })
            .ToListAsync(cancellationToken);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var cliImportAlive = false;
        foreach (var job in unfinished)
        {
            if (job.Payload is null)
            {
                cliImportAlive |= job.LastSign >= cutoff;
                continue;
            }

            var path = Path.GetFullPath(JsonSerializer.Deserialize<ImportRequest>(job.Payload)?.Path ?? string.Empty);
            needed.Add(path);
            if (Path.GetDirectoryName(path) is { } folder)
            {
                needed.Add(folder);
            }

            if (File.Exists(path) && ImportPlanner.Detect(path) == ImportFormat.Zip)
            {
                needed.Add(planner.ZipFolderFor(path));
            }
        }

        return (needed, cliImportAlive);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} staged import uploads and unpacked ZIPs past their lifetime")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the expired staging folder {Folder}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string folder, string reason);
}
