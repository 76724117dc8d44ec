using ArtGallery.Core.Embeddings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// Keeps the style recogniser current: retrains when curators' style tags change, re-suggests
/// styles for every untagged work after a retrain, and suggests styles for newly embedded works.
/// </summary>
public sealed partial class RecognitionWorker(StyleRecognitionService recognition, EmbeddingPipeline pipeline, RecognitionSignal signal, ILogger<RecognitionWorker> logger) : BackgroundService
{
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!pipeline.IsAvailable)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; the recogniser keeps its last good model meanwhile.
                LogPassFailed(logger, ex);
            }

            try
            {
                // A curator's decision wakes the worker at once: later suggestions learn from it.
                await signal.WaitAsync(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: retrain if needed, then write suggestions (all untagged works after a retrain, else new ones only).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var retrained = await recognition.EnsureTrainedAsync(cancellationToken);
        var written = await recognition.RefreshSuggestionsAsync(onlyUnsuggested: !retrained, cancellationToken);
        if (written > 0)
        {
            LogSuggested(logger, written);
        }

        return written;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Style recognition pass failed; retrying later")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggested {Count} styles")]
    private static partial void LogSuggested(ILogger logger, int count);
}
