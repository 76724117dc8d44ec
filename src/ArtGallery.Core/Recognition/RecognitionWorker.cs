using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Jobs;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// Keeps every vocabulary's head current: retrains a head when curators' tags of its vocabulary
/// change, re-suggests that vocabulary for every work without an accepted tag of it after a retrain,
/// and suggests for newly embedded works.
/// </summary>
public sealed partial class RecognitionWorker(VocabularyRecogniser recogniser, EmbeddingPipeline pipeline, RecognitionSignal signal, ILogger<RecognitionWorker> logger) : WorkerLoop(logger)
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

    /// <summary>
    /// One pass over every head: retrain if its vocabulary's tags changed, then write suggestions (all
    /// works lacking that vocabulary after a retrain, else new ones only). Returns the suggestions written.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var head in recogniser.Heads)
        {
            var retrained = await head.EnsureTrainedAsync(cancellationToken);
            var written = await head.RefreshSuggestionsAsync(onlyUnsuggested: !retrained, cancellationToken);
            if (written > 0)
            {
                LogSuggested(logger, written, head.Vocabulary);
            }

            total += written;
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggested {Count} tags of {Vocabulary}")]
    private static partial void LogSuggested(ILogger logger, int count, ArtGallery.Data.Entities.TagVocabulary vocabulary);
}
