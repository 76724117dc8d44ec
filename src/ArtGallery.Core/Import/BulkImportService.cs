using System.Security.Claims;
using System.Text.Json;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Jobs;
using ArtGallery.Engines.Imaging;

namespace ArtGallery.Core.Import;

/// <summary>
/// Bulk imports as durable jobs. Each row's result is written in the same transaction as the works
/// it adds, so an import killed at any moment continues, when run again, with exactly the rows that
/// have no result yet; re-importing finished work updates metadata and never duplicates (image hash).
/// </summary>
public sealed partial class BulkImportService(
    ImportPlanner planner,
    ArtworkIngestor ingestor,
    ImageDecoder decoder,
    JobStore jobs,
    IDbContextFactory<GalleryDbContext> contextFactory,
    TimeProvider clock,
    CallerVerifier callers,
    ArtGallery.Core.Storage.ImageStore store,
    ILogger<BulkImportService> logger)
{
    public const string JobKind = "import";

    /// <summary>Rows ingested per transaction: small enough that a crash redoes little.</summary>
    public const int ChunkSize = 8;

    private static readonly Dictionary<string, string> FormatByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "JPEG", [".jpeg"] = "JPEG", [".png"] = "PNG", [".gif"] = "GIF", [".bmp"] = "BMP",
        [".tif"] = "TIFF", [".tiff"] = "TIFF", [".webp"] = "WEBP", [".tga"] = "TGA",
    };

    /// <summary>Runs (or resumes) an import now and returns its per-row report.</summary>
    public async Task<ImportReport> ImportAsync(ClaimsPrincipal caller, ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Bulk import", cancellationToken);
        ArgumentNullException.ThrowIfNull(request);
        var plan = planner.Plan(request);

        // An import killed mid-write (the case resuming exists for) left its temporary files behind.
        if (store.SweepStaleTempFiles(TimeSpan.FromHours(1)) is > 0 and var swept)
        {
            LogTempFilesSwept(logger, swept);
        }

        var jobId = await jobs.StartOrResumeAsync(JobKind, ImportPlanner.JobKey(request), plan.Rows.Count, cancellationToken);
        try
        {
            await RunAsync(jobId, caller, request, plan, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rows done so far stay recorded; running the same import again continues from them.
            LogImportFailed(logger, jobId, ex);
            await jobs.FinishAsync(jobId, JobState.Failed, error: ex.Message, cancellationToken: CancellationToken.None);
            throw;
        }

        return await ReportAsync(caller, jobId, cancellationToken);
    }

    /// <summary>
    /// Records an import for the background worker (web uploads): it shows as Queued at once and
    /// runs, or resumes after a restart, in <see cref="ImportWorker"/>.
    /// </summary>
    public async Task<long> EnqueueAsync(ClaimsPrincipal caller, ImportRequest request, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Bulk import", cancellationToken);
        ArgumentNullException.ThrowIfNull(request);
        return await jobs.EnqueueAsync(new NewJob(JobKind, JsonSerializer.Serialize(request), GalleryAccess.UserId(caller) ?? caller.Identity?.Name,
            $"queued: {Path.GetFileName(request.Path)}", DedupKey: ImportPlanner.JobKey(request)), cancellationToken);
    }

    /// <summary>The per-row report of an import job (finished or not), in plan order.</summary>
    public async Task<ImportReport> ReportAsync(ClaimsPrincipal caller, long jobId, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Import report", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ImportRows.AsNoTracking().Where(r => r.JobId == jobId).OrderBy(r => r.Index).ToListAsync(cancellationToken);
        return new ImportReport(jobId, [.. rows.Select(r => new ImportReportRow(r.Index, r.Source, Outcome(r.Outcome), r.ArtworkId, r.Reason))]);
    }

    /// <summary>The latest import jobs, newest first, for the import page.</summary>
    public async Task<IReadOnlyList<JobView>> RecentAsync(ClaimsPrincipal caller, int count = 10, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Import history", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().Where(j => j.Kind == JobKind).OrderByDescending(j => j.Id).Take(count)
            .Select(j => new JobView(j.Id, j.Kind, j.State, j.Done, j.Total, j.Message, j.Error, j.CreatedAt, j.FinishedAt))
            .ToListAsync(cancellationToken);
    }

    private async Task RunAsync(long jobId, ClaimsPrincipal caller, ImportRequest request, ImportPlan plan, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        // No Payload here: only imports queued from the web carry one, so the web worker resumes
        // those and never takes over an import a CLI operator stopped (the CLI resumes it on rerun).
        var requestedBy = GalleryAccess.UserId(caller) ?? caller.Identity?.Name;
        await using (var db = await contextFactory.CreateDbContextAsync(ct))
        {
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.RequestedBy, j => j.RequestedBy ?? requestedBy), ct);
        }

        HashSet<int> finished;
        await using (var db = await contextFactory.CreateDbContextAsync(ct))
        {
            finished = [.. await db.ImportRows.Where(r => r.JobId == jobId).Select(r => r.Index).ToListAsync(ct)];
        }

        var total = plan.Rows.Count;
        var done = finished.Count;
        var name = Path.GetFileName(request.Path.TrimEnd('/', '\\'));
        await jobs.ReportAsync(jobId, done, total, done > 0 ? $"{name}: resumed at row {done + 1} of {total}" : $"{name}: {total} rows ({plan.Format})", ct);
        progress?.Report(new ImportProgress(jobId, done, total));
        var pending = Enumerable.Range(0, total).Where(i => !finished.Contains(i)).ToList();
        foreach (var chunk in pending.Chunk(ChunkSize))
        {
            ct.ThrowIfCancellationRequested();
            await RunChunkAsync(jobId, plan, chunk, ct);
            done += chunk.Length;
            await jobs.ReportAsync(jobId, done, total, $"{name}: {done} of {total} rows", ct);
            progress?.Report(new ImportProgress(jobId, done, total));
        }

        var report = await ReportAsync(caller, jobId, ct);
        await jobs.FinishAsync(jobId, JobState.Succeeded,
            $"{name}: imported {report.Count(IngestOutcome.Imported)}, updated {report.Count(IngestOutcome.Updated)}, skipped {report.Count(IngestOutcome.Skipped)}, failed {report.Count(IngestOutcome.Failed)}",
            cancellationToken: ct);
    }

    private async Task RunChunkAsync(long jobId, ImportPlan plan, int[] indexes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var decided = new List<ImportRow>();
        var items = new List<(byte[] Data, ArtworkMetadata Metadata)>();
        var itemIndexes = new List<int>();
        foreach (var index in indexes)
        {
            var row = plan.Rows[index];
            if (row.File is null || row.Metadata is null)
            {
                decided.Add(Row(jobId, index, row.Source, row.Decided ?? IngestOutcome.Failed, null, row.Reason, now));
                continue;
            }

            var (data, problem) = await ReadImageAsync(row.File, ct);
            if (problem is not null)
            {
                decided.Add(Row(jobId, index, row.Source, IngestOutcome.Failed, null, problem, now));
                continue;
            }

            items.Add((data!, row.Metadata));
            itemIndexes.Add(index);
        }

        try
        {
            await IngestAsync(jobId, plan, items, itemIndexes, decided, now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Something no check foresaw (a database refusal, a decoder bug) failed the chunk's
            // transaction: redo its rows one by one, so the culprit costs only its own row.
            LogChunkRetried(logger, jobId, ex);
            await IngestAsync(jobId, plan, [], [], decided, now, ct);
            for (var i = 0; i < items.Count; i++)
            {
                try
                {
                    await IngestAsync(jobId, plan, [items[i]], [itemIndexes[i]], [], now, ct);
                }
                catch (Exception rowException) when (rowException is not OperationCanceledException)
                {
                    await IngestAsync(jobId, plan, [], [],
                        [Row(jobId, itemIndexes[i], plan.Rows[itemIndexes[i]].Source, IngestOutcome.Failed, null, $"could not be stored: {rowException.GetBaseException().Message}", now)], now, ct);
                }
            }
        }
    }

    /// <summary>Ingests the items and records their rows, with the already decided rows, in one transaction.</summary>
    private async Task IngestAsync(
        long jobId, ImportPlan plan, List<(byte[] Data, ArtworkMetadata Metadata)> items, List<int> itemIndexes, List<ImportRow> decided, DateTimeOffset now, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            if (decided.Count > 0)
            {
                await using var db = await contextFactory.CreateDbContextAsync(ct);
                db.ImportRows.AddRange(decided);
                await db.SaveChangesAsync(ct);
            }

            return;
        }

        await ingestor.IngestAsync(items, (db, results) =>
        {
            db.ImportRows.AddRange(decided);
            for (var i = 0; i < results.Count; i++)
            {
                var index = itemIndexes[i];
                db.ImportRows.Add(Row(jobId, index, plan.Rows[index].Source, results[i].Outcome, results[i].ArtworkId, results[i].Reason, now));
            }
        }, ct);
    }

    /// <summary>Reads one image and checks that its content is what its extension says.</summary>
    private async Task<(byte[]? Data, string? Problem)> ReadImageAsync(string file, CancellationToken ct)
    {
        try
        {
            var length = new FileInfo(file).Length;
            if (length > decoder.Limits.MaxFileBytes)
            {
                return (null, $"the file is {length / (1024 * 1024)} MiB; the limit is {decoder.Limits.MaxFileBytes / (1024 * 1024)} MiB");
            }

            var data = await File.ReadAllBytesAsync(file, ct);
            var header = decoder.Identify(data);
            if (FormatByExtension.TryGetValue(Path.GetExtension(file), out var expected) && !expected.Equals(header.Format, StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"mislabelled: the file is named {Path.GetExtension(file)} but holds a {header.Format} image; rename it and import again");
            }

            return (data, null);
        }
        catch (ImageRejectedException ex)
        {
            return (null, ex.Message);
        }
        catch (IOException ex)
        {
            return (null, $"the file could not be read: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return (null, $"the file could not be read: {ex.Message}");
        }
    }

    private static ImportRow Row(long jobId, int index, string source, IngestOutcome outcome, int? artworkId, string? reason, DateTimeOffset now) => new()
    {
        JobId = jobId,
        Index = index,
        Source = MetadataRules.Source(source),
        Outcome = outcome switch
        {
            IngestOutcome.Imported => ImportRowOutcome.Imported,
            IngestOutcome.Updated => ImportRowOutcome.Updated,
            IngestOutcome.Skipped => ImportRowOutcome.Skipped,
            _ => ImportRowOutcome.Failed,
        },
        ArtworkId = artworkId,
        Reason = reason is { Length: > 2000 } ? reason[..1999] + "…" : reason,
        CreatedAt = now,
    };

    private static IngestOutcome Outcome(ImportRowOutcome outcome) => outcome switch
    {
        ImportRowOutcome.Imported => IngestOutcome.Imported,
        ImportRowOutcome.Updated => IngestOutcome.Updated,
        ImportRowOutcome.Skipped => IngestOutcome.Skipped,
        _ => IngestOutcome.Failed,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId}: a chunk failed as a whole; its rows are redone one by one")]
    private static partial void LogChunkRetried(ILogger logger, long jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} temporary files left in the image store by a killed import")]
    private static partial void LogTempFilesSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import job {JobId} failed; its finished rows are kept and a rerun continues from them")]
    private static partial void LogImportFailed(ILogger logger, long jobId, Exception exception);
}
