using System.Text.Json;
using ArtGallery.Core.Jobs;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Studio.StyleTransfer;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Core.Studio.StyleTransfer;

/// <summary>
/// Runs queued style-transfer jobs, at most <see cref="StudioOptions.MaxConcurrentJobs"/> at once
/// (one loop each), oldest first; a job whose process died (Running, heartbeat stale) is run again
/// from the start.
/// </summary>
public sealed partial class StyleTransferWorker(
    StyleTransferJobs jobs,
    StyleTransferEngine engine,
    CreationService creations,
    JobStore jobStore,
    ImageStore store,
    ImageDecoder decoder,
    StudioSignal signal,
    IDbContextFactory<GalleryDbContext> contextFactory,
    IOptions<StudioOptions> options,
    TimeProvider clock,
    ILogger<StyleTransferWorker> logger) : WorkerLoop(logger)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    protected override int Loops => options.Value.MaxConcurrentJobs;

    protected override Task<bool> RunPassAsync(CancellationToken stoppingToken) => RunOnceAsync(stoppingToken);

    protected override Task WaitAsync(CancellationToken stoppingToken) => signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);

    /// <summary>Claims and runs the oldest waiting job; true when one ran.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        // A render whose process died starts over: its steps are not saved.
        var job = await jobStore.TryClaimAsync(StyleTransferJobs.Kind, StaleAfter, restart: true, message: "starting", cancellationToken: stoppingToken);
        if (job is null)
        {
            return false;
        }

        using var cts = jobs.Track(job.Id, stoppingToken);
        try
        {
            var payload = JsonSerializer.Deserialize<TransferJobPayload>(job.Payload!) ?? throw new JsonException("empty payload");
            var creationId = await RenderAsync(job, payload, job.RequestedBy!, cts.Token);
            await jobStore.FinishAsync(job.Id, JobState.Succeeded, $"{StyleTransferJobs.CreationMessagePrefix}{creationId}", cancellationToken: CancellationToken.None);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            await jobStore.FinishAsync(job.Id, JobState.Cancelled, "cancelled", cancellationToken: CancellationToken.None);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or IOException or ImageRejectedException or InvalidOperationException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            LogJobFailed(logger, job.Id, ex.Message);
            await jobStore.FinishAsync(job.Id, JobState.Failed, "failed", ex.Message, CancellationToken.None);
        }
        finally
        {
            jobs.Untrack(job.Id);
        }

        return true;
    }

    private async Task<long> RenderAsync(Job job, TransferJobPayload payload, string owner, CancellationToken cancellationToken)
    {
        using var photo = decoder.Decode(await store.ReadOriginalAsync(payload.PhotoSha256, cancellationToken));
        var styles = new List<StyleSource>();
        var styleNames = new List<string?>();
        try
        {
            foreach (var choice in payload.Styles)
            {
                var sha = choice.ImageSha256;
                string? name = null;
                if (choice.ArtworkId is { } id)
                {
                    await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
                    var work = await db.Artworks.Where(a => a.Id == id).Select(a => new { a.ImageSha256, a.Title }).FirstOrDefaultAsync(cancellationToken)
                        ?? throw new ArgumentException($"Work {id} no longer exists.");
                    (sha, name) = (work.ImageSha256, work.Title);
                }

                styleNames.Add(name);

                styles.Add(new StyleSource(decoder.Decode(await store.ReadOriginalAsync(sha!, cancellationToken)), choice.Weight));
            }

            var settings = StyleTransferJobs.ToSettings(payload);
            var previewEvery = Math.Max(1, options.Value.PreviewEvery);
            var lastReport = clock.GetTimestamp();
            var reports = new List<Task>();

            // The loop is CPU (or GPU) bound and synchronous: its own thread, progress reported from it.
            using var result = await Task.Run(() => engine.Transfer(photo, styles, settings, p =>
            {
                if (p.Step % previewEvery == 0 || p.Step == p.Steps)
                {
                    using var preview = p.Preview();
                    using var stream = new MemoryStream();
                    preview.SaveAsJpeg(stream);
                    jobs.SetPreview(job.Id, stream.ToArray());
                }

                if (clock.GetElapsedTime(lastReport) > TimeSpan.FromMilliseconds(500) || p.Step == p.Steps)
                {
                    lastReport = clock.GetTimestamp();
                    reports.Add(jobStore.ReportAsync(job.Id, p.Step, p.Steps, $"step {p.Step} of {p.Steps}", CancellationToken.None));
                }
            }, cancellationToken), cancellationToken);
            await Task.WhenAll(reports);

            using var png = new MemoryStream();
            result.Image.SaveAsPng(png);
            var parameters = JsonSerializer.Serialize(new
            {
                payload.Styles,
                payload.Size,
                payload.Steps,
                payload.Strength,
                payload.ContentWeight,
                payload.KeepColours,
                payload.Seed,
                StyleLossDrop = result.StyleLossDrop,
                result.ContentLossRatio,
                Provider = engine.Provider,
            });
            var source = payload.Styles.FirstOrDefault(s => s.ArtworkId is not null)?.ArtworkId;
            var title = StyleTransferJobs.CreationTitle(styleNames);
            return await creations.SaveAsync(owner, new NewCreation(StyleTransferJobs.Kind, title, png.ToArray(), parameters, source), cancellationToken);
        }
        finally
        {
            foreach (var s in styles)
            {
                s.Image.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Style-transfer job {JobId} failed: {Reason}")]
    private static partial void LogJobFailed(ILogger logger, long jobId, string reason);
}
