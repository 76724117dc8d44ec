using System.Text.Json;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Jobs;

namespace ArtGallery.Core.Import;

/// <summary>
/// Runs imports queued from the web page, one at a time, and picks up imports whose process died
/// (Running with a stale heartbeat): after a restart they continue where they stopped.
/// </summary>
public sealed partial class ImportWorker(
    BulkImportService imports,
    JobStore jobs,
    TimeProvider clock,
    ILogger<ImportWorker> logger) : WorkerLoop(logger)
{
    /// <summary>A running import reports after every chunk; one silent this long has lost its process.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    protected override Task<bool> RunPassAsync(CancellationToken stoppingToken) => RunOnceAsync(stoppingToken);

    protected override Task WaitAsync(CancellationToken stoppingToken) => Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);

    /// <summary>Claims and runs the oldest waiting import, if any; true when one ran.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var job = await jobs.TryClaimAsync(BulkImportService.JobKind, StaleAfter, cancellationToken: cancellationToken);
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
            await jobs.FinishAsync(job.Id, JobState.Failed, error: ex.Message, cancellationToken: cancellationToken);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId} cannot run: {Reason}")]
    private static partial void LogImportRefused(ILogger logger, long jobId, string reason);
}
