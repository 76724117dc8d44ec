using ArtGallery.Core.Jobs;
using ArtGallery.Core.Search;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Embeddings;

/// <summary>
/// Keeps every work embedded with the current encoder: runs at start-up, when imports signal new
/// works, and every half minute. Progress goes to the durable job table, which the UI reads. Each
/// pass also brings the words and palette indexes up to date (a changed title or tag is re-embedded).
/// </summary>
public sealed partial class EmbeddingWorker(
    EmbeddingPipeline pipeline,
    SearchIndexer indexer,
    JobStore jobs,
    EmbeddingSignal signal,
    ILogger<EmbeddingWorker> logger) : WorkerLoop(logger)
{
    public const string JobKind = "embed";

    protected override bool ShouldRun()
    {
        if (!pipeline.IsAvailable)
        {
            LogDisabled(logger);
        }

        return true;
    }

    protected override async Task<bool> RunPassAsync(CancellationToken stoppingToken)
    {
        await RunOnceAsync(stoppingToken);
        return false;
    }

    protected override Task WaitAsync(CancellationToken stoppingToken) => signal.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (pipeline.IsAvailable)
        {
            await EmbedImagesAsync(cancellationToken);
        }

        await indexer.IndexAsync(cancellationToken: cancellationToken);
    }

    private async Task EmbedImagesAsync(CancellationToken cancellationToken)
    {
        var missing = await pipeline.CountMissingAsync(cancellationToken);
        if (missing == 0)
        {
            return;
        }

        var jobId = await jobs.StartOrResumeAsync(JobKind, $"{JobKind}:{StyleEncoder.Version}", missing, cancellationToken);
        var done = 0;
        var progress = new SynchronousProgress<EmbedProgress>(p => Volatile.Write(ref done, p.Done));
        LogStarting(logger, missing);

        using var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportPeriodicallyAsync(jobId, () => Volatile.Read(ref done), missing, stopReporting.Token);
        EmbedRunResult result;
        try
        {
            result = await pipeline.EmbedMissingAsync(progress, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await jobs.FinishAsync(jobId, JobState.Failed, error: ex.Message, cancellationToken: CancellationToken.None);
            throw;
        }
        finally
        {
            await stopReporting.CancelAsync();
            await reporter;
        }

        await jobs.ReportAsync(jobId, result.Embedded, missing, cancellationToken: cancellationToken);
        var message = result.Failed == 0 ? $"embedded {result.Embedded} works" : $"embedded {result.Embedded} works; {result.Failed} could not be read";
        await jobs.FinishAsync(jobId, JobState.Succeeded, message, cancellationToken: cancellationToken);
        LogFinished(logger, message);
    }

    private async Task ReportPeriodicallyAsync(long jobId, Func<int> done, int total, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var current = done();
                await jobs.ReportAsync(jobId, current, total, $"embedded {current} of {total}", cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Reporting stops with the pass.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Image embedding disabled: the style encoder is unavailable (the words and palette indexes still run)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding {Count} works")]
    private static partial void LogStarting(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding pass done: {Message}")]
    private static partial void LogFinished(ILogger logger, string message);
}

/// <summary>IProgress that runs the handler on the reporting thread (Progress&lt;T&gt; posts to the pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
