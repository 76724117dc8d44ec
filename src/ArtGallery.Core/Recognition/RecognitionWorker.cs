using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// Keeps the style recogniser current: retrains when curators' style tags change, re-suggests
/// styles for every untagged work after a retrain, and suggests styles for newly embedded works.
/// </summary>
public sealed partial class RecognitionWorker(StyleRecognitionService recognition, EmbeddingPipeline pipeline, RecognitionSignal signal, ILogger<RecognitionWorker> logger) : WorkerLoop(logger)
{
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(20);

    protected override bool ShouldRun() => pipeline.IsAvailable;

    protected override async Task<bool> RunPassAsync(CancellationToken stoppingToken)
    {
        await RunOnceAsync(stoppingToken);
        return false;
    }

    // A curator's decision wakes the worker at once: later suggestions learn from it. After a
    // failed pass the recogniser keeps its last good model until the next.
    protected override Task WaitAsync(CancellationToken stoppingToken) => signal.WaitAsync(Interval, stoppingToken);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggested {Count} styles")]
    private static partial void LogSuggested(ILogger logger, int count);
}
