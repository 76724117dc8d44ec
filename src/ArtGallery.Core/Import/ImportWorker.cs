using System.Text.Json;
using ArtGallery.Core.Accounts;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtGallery.Core.Import;

/// <summary>
/// Runs imports queued from the web page, one at a time, and picks up imports whose process died
/// (Running with a stale heartbeat): after a restart they continue where they stopped.
/// </summary>
public sealed partial class ImportWorker(
    BulkImportService imports,
    IDbContextFactory<GalleryDbContext> contextFactory,
    TimeProvider clock,
    ILogger<ImportWorker> logger) : BackgroundService
{
    /// <summary>A running import reports after every chunk; one silent this long has lost its process.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), clock);
        do
        {
            try
            {
                while (await RunOnceAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWorkerFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Runs the oldest waiting import, if any; true when one ran.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var stale = clock.GetUtcNow() - StaleAfter;
        Job? job;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            job = await db.Jobs.AsNoTracking()
                .Where(j => j.Kind == BulkImportService.JobKind && j.Payload != null
                    && (j.State == JobState.Queued || (j.State == JobState.Running && j.HeartbeatAt < stale)))
                .OrderBy(j => j.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (job?.Payload is null)
        {
            return false;
        }

        try
        {
            var request = JsonSerializer.Deserialize<ImportRequest>(job.Payload) ?? throw new JsonException("The job's payload is empty.");

            // The curator's Curate level was demanded when the job was queued; the worker carries it out.
            await imports.ImportAsync(GalleryAccess.Operator, request, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or JsonException)
        {
            // A request that cannot run (its upload is gone, a bad payload) fails its job instead of being retried forever.
            LogImportRefused(logger, job.Id, ex.Message);
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            await db.Jobs.Where(j => j.Id == job.Id && (j.State == JobState.Queued || j.State == JobState.Running)).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Failed)
                .SetProperty(j => j.Error, ex.Message)
                .SetProperty(j => j.FinishedAt, clock.GetUtcNow()), cancellationToken);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId} cannot run: {Reason}")]
    private static partial void LogImportRefused(ILogger logger, long jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The import worker failed; it tries again shortly")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);
}
