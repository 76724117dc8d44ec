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
public sealed class ImportStagingSweeper(JobStore jobs, ImportPlanner planner, IOptions<ImportOptions> options, TimeProvider clock, ILogger<ImportStagingSweeper> logger)
    : SweeperLoop(clock, logger, "staged import uploads and unpacked ZIPs past their lifetime", TimeSpan.FromMinutes(Math.Max(1, options.Value.StagingSweepMinutes)))
{
    /// <summary>Deletes the staged uploads and unpacked ZIPs past their lifetime that no unfinished import needs; returns how many.</summary>
    public override async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = Clock.GetUtcNow() - TimeSpan.FromHours(Math.Max(1, options.Value.StagingLifetimeHours));
        var candidates = Staged().Where(d => Directory.GetLastWriteTimeUtc(d) < cutoff.UtcDateTime).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        var (needed, keepUnpackedZips) = await NeededAsync(cutoff, cancellationToken);
        var deleted = 0;
        foreach (var folder in candidates.Where(d => !needed.Contains(d) && !(keepUnpackedZips && IsUnpackedZip(d))))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                deleted++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DeleteFailed($"staging folder {folder}", ex);
            }
        }

        return deleted;
    }

    /// <summary>Each web upload's folder and each unpacked ZIP, as full paths.</summary>
    private IEnumerable<string> Staged()
    {
        IEnumerable<string> uploads = Directory.Exists(planner.UploadsRoot) ? Directory.EnumerateDirectories(planner.UploadsRoot) : [];
        IEnumerable<string> zips = Directory.Exists(planner.StagingRoot) ? Directory.EnumerateDirectories(planner.StagingRoot, ImportPlanner.ZipFolderPrefix + "*") : [];
        return uploads.Concat(zips).Select(Path.GetFullPath);
    }

    private static bool IsUnpackedZip(string folder) => Path.GetFileName(folder).StartsWith(ImportPlanner.ZipFolderPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The folders unfinished web imports read, and whether every unpacked ZIP must stay: a CLI import has
    /// shown signs of life since <paramref name="cutoff"/>, or a queued ZIP could not be read to name its folder.
    /// </summary>
    private async Task<(HashSet<string> Needed, bool KeepUnpackedZips)> NeededAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var keepUnpackedZips = false;
        foreach (var job in await jobs.UnfinishedAsync(BulkImportService.JobKind, cancellationToken))
        {
            if (job.Payload is null)
            {
                keepUnpackedZips |= job.LastSign >= cutoff;
            }
            else if (Request(job.Payload) is { } request)
            {
                var path = Path.GetFullPath(request.Path);
                needed.Add(path);
                needed.Add(Path.GetDirectoryName(path) ?? path);
                try
                {
                    if (File.Exists(path) && (request.Format == ImportFormat.Zip || (request.Format == ImportFormat.Auto && ImportPlanner.Detect(path) == ImportFormat.Zip)))
                    {
                        needed.Add(planner.ZipFolderFor(path));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    keepUnpackedZips = true;
                }
            }
        }

        return (needed, keepUnpackedZips);
    }

    /// <summary>A queued import's request, or null when its payload cannot be read (the import worker fails that job; it needs no files).</summary>
    private static ImportRequest? Request(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ImportRequest>(payload) is { Path.Length: > 0 } request ? request : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
