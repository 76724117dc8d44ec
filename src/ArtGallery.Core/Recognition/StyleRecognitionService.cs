using System.Diagnostics;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Engines.Encoding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ArtGallery.Core.Recognition;

/// <summary>A style the recogniser sees in a work, with its calibrated probability.</summary>
public sealed record StylePrediction(string Name, string Slug, double Probability);

/// <summary>How far to trust a reading.</summary>
public enum StyleVerdict
{
    /// <summary>The top style is clearly ahead.</summary>
    Confident,

    /// <summary>Like the collection, but no style is clearly ahead (low top probability or margin).</summary>
    Unsure,

    /// <summary>Unlike every work the recogniser learned from: its style probabilities mean nothing here.</summary>
    Unlike,
}

/// <summary>The recogniser's reading of one image: a verdict, the likely styles, and the nearest-work similarity behind "unlike".</summary>
public sealed record StyleReading(StyleVerdict Verdict, IReadOnlyList<StylePrediction> Predictions, double Similarity, double NoveltyThreshold);

/// <summary>What the recogniser was last trained on, for the UI and health checks.</summary>
public sealed record RecogniserStatus(bool IsTrained, int TrainingWorks, int Styles, DateTimeOffset? TrainedAt, double TrainingSeconds, float Temperature, string? Problem);

/// <summary>
/// The style recogniser: learns from the works curators have tagged with a style (accepted style
/// tags), predicts a distribution over those styles for any embedded work or uploaded photo, and
/// keeps model suggestions on untagged works up to date. Retrains when the tagged set changes.
/// </summary>
public sealed partial class StyleRecognitionService(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider time, ILogger<StyleRecognitionService> logger) : IDisposable
{
    /// <summary>Recorded as the author of model suggestions.</summary>
    public const string SuggestionAuthor = "style-recogniser";

    /// <summary>Styles with fewer tagged works than this are not learned (there is nothing to generalise from).</summary>
    public const int MinWorksPerStyle = 3;

    /// <summary>Training examples kept per style: retraining stays a matter of seconds on any collection.</summary>
    public const int MaxWorksPerStyle = 1500;

    /// <summary>Suggestions below this probability are not offered to curators.</summary>
    public const double MinSuggestionProbability = 0.15;

    public const int MaxSuggestionsPerWork = 3;

    /// <summary>Below this top probability a reading is unsure (calibrated: right less than about half the time).</summary>
    public const double ConfidentProbability = 0.45;

    /// <summary>Below this lead of the top style over the second a reading is unsure.</summary>
    public const double ConfidentMargin = 0.15;

    /// <summary>Share of works like the training set that the novelty check may call unlike (its false-alarm rate).</summary>
    public const double NoveltyQuantile = 0.01;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile TrainedModel? _model;
    private TrainingFingerprint? _lastFailed;
    private RecogniserStatus _status = new(false, 0, 0, null, 0, 1, "not trained yet");

    private sealed record TrainedModel(SoftmaxClassifier Classifier, NoveltyDetector Novelty, IReadOnlyList<(string Name, string Slug)> Styles, TrainingFingerprint Fingerprint);

    private sealed record TrainingFingerprint(int Count, DateTimeOffset? Latest, long Checksum, int Embedded);

    public RecogniserStatus Status => _status;

    /// <summary>Retrains if the curator-tagged set (or its embeddings) changed since the last training; true if it did.</summary>
    public async Task<bool> EnsureTrainedAsync(CancellationToken cancellationToken = default)
    {
        var fingerprint = await FingerprintAsync(cancellationToken);
        if (_model?.Fingerprint == fingerprint || (_model is null && _status.Problem is not null && _lastFailed == fingerprint))
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_model?.Fingerprint == fingerprint)
            {
                return false;
            }

            return await TrainAsync(fingerprint, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> TrainAsync(TrainingFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await AcceptedStyleTags(db)
            .Where(t => t.Artwork!.Embedding != null && t.Artwork.Embedding.EncoderVersion == StyleEncoder.Version)
            .OrderBy(t => t.ArtworkId).ThenByDescending(t => t.Confidence).ThenBy(t => t.TagId)
            .Select(t => new { t.ArtworkId, t.Tag!.Name, t.Tag.Slug, t.Artwork!.ArtistId, t.Artwork.Embedding!.Style, t.Artwork.Embedding.Content })
            .ToListAsync(cancellationToken);

        // One label per work (its most confident accepted style); styles too rare to learn are left out.
        var examples = rows.DistinctBy(r => r.ArtworkId)
            .GroupBy(r => r.Slug, StringComparer.Ordinal)
            .Where(g => g.Count() >= MinWorksPerStyle)
            .SelectMany(g => g.OrderBy(r => (r.ArtworkId * 2654435761L) % 1_000_003).Take(MaxWorksPerStyle))
            .ToList();
        var styles = examples.Select(e => (e.Name, e.Slug)).DistinctBy(s => s.Slug).OrderBy(s => s.Slug, StringComparer.Ordinal).ToList();
        if (styles.Count < 2)
        {
            _model = null;
            _lastFailed = fingerprint;
            _status = new RecogniserStatus(false, examples.Count, styles.Count, null, 0, 1,
                $"needs works tagged with at least two styles, {MinWorksPerStyle} or more works each");
            LogNotTrained(logger, _status.Problem!);
            return false;
        }

        var features = examples.Select(e => RecogniserFeatures.From(e.Style.ToArray(), e.Content.ToArray())).ToList();
        var classifier = await Task.Run(() => SoftmaxClassifier.Train(features, [.. examples.Select(e => e.Slug)]), cancellationToken);
        var novelty = await Task.Run(() => NoveltyDetector.Fit(features, NoveltyQuantile), cancellationToken);
        _model = new TrainedModel(classifier, novelty, [.. classifier.Classes.Select(slug => styles.First(s => s.Slug == slug))], fingerprint);
        _status = new RecogniserStatus(true, examples.Count, styles.Count, time.GetUtcNow(), clock.Elapsed.TotalSeconds, classifier.Temperature, null);
        LogTrained(logger, examples.Count, styles.Count, clock.Elapsed.TotalSeconds);
        return true;
    }

    /// <summary>
    /// The likely styles of a work, most probable first; empty if it has no current embedding or no
    /// model has been trained yet.
    /// </summary>
    /// <remarks>
    /// Never trains: training is the worker's (or <see cref="EnsureTrainedAsync"/>'s) job, so an
    /// artwork page is never held up by a retrain or by the fingerprint queries that decide one.
    /// </remarks>
    public async Task<IReadOnlyList<StylePrediction>> PredictAsync(int artworkId, int top = 3, CancellationToken cancellationToken = default)
    {
        if (_model is null)
        {
            return [];
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var embedding = await db.Embeddings.AsNoTracking()
            .Where(e => e.ArtworkId == artworkId && e.EncoderVersion == StyleEncoder.Version)
            .Select(e => new { e.Style, e.Content }).FirstOrDefaultAsync(cancellationToken);
        return embedding is null ? [] : Predict(embedding.Style.ToArray(), embedding.Content.ToArray(), top);
    }

    /// <summary>The likely styles of any encoded image (an upload, say) under the current model.</summary>
    public IReadOnlyList<StylePrediction> Predict(ReadOnlySpan<float> style, ReadOnlySpan<float> content, int top = 3)
    {
        var model = _model;
        if (model is null)
        {
            return [];
        }

        var probabilities = model.Classifier.Predict(RecogniserFeatures.From(style, content));
        return [.. Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(Math.Max(1, top))
            .Select(i => new StylePrediction(model.Styles[i].Name, model.Styles[i].Slug, probabilities[i]))];
    }

    /// <summary>
    /// The recogniser's reading of a work for people: the likely styles with a verdict, so a page can
    /// say "unsure" or "not like any style here" instead of a confident wrong answer. Null when the
    /// work has no current embedding or no model is trained.
    /// </summary>
    public async Task<StyleReading?> ReadAsync(int artworkId, int top = 3, CancellationToken cancellationToken = default)
    {
        if (_model is null)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var embedding = await db.Embeddings.AsNoTracking()
            .Where(e => e.ArtworkId == artworkId && e.EncoderVersion == StyleEncoder.Version)
            .Select(e => new { e.Style, e.Content }).FirstOrDefaultAsync(cancellationToken);
        return embedding is null ? null : Read(embedding.Style.ToArray(), embedding.Content.ToArray(), top);
    }

    /// <summary>As <see cref="ReadAsync"/> for any encoded image (an uploaded photo, say).</summary>
    public StyleReading? Read(ReadOnlySpan<float> style, ReadOnlySpan<float> content, int top = 3)
    {
        var model = _model;
        if (model is null)
        {
            return null;
        }

        var features = RecogniserFeatures.From(style, content);
        var probabilities = model.Classifier.Predict(features);
        var similarity = model.Novelty.Similarity(features);
        var predictions = Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(Math.Max(1, top))
            .Select(i => new StylePrediction(model.Styles[i].Name, model.Styles[i].Slug, probabilities[i])).ToList();
        return new StyleReading(Judge(probabilities, similarity, model.Novelty.Threshold), predictions, similarity, model.Novelty.Threshold);
    }

    /// <summary>The verdict on one reading: novelty first, then the top probability and its lead over the second.</summary>
    public static StyleVerdict Judge(IReadOnlyList<float> probabilities, float similarity, float noveltyThreshold)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (similarity < noveltyThreshold)
        {
            return StyleVerdict.Unlike;
        }

        var sorted = probabilities.OrderDescending().ToList();
        var first = sorted.Count > 0 ? sorted[0] : 0;
        var second = sorted.Count > 1 ? sorted[1] : 0;
        return first >= ConfidentProbability && first - second >= ConfidentMargin ? StyleVerdict.Confident : StyleVerdict.Unsure;
    }

    /// <summary>
    /// Replaces the model's style suggestions on every embedded work that has no accepted style:
    /// up to <see cref="MaxSuggestionsPerWork"/> styles at or above <see cref="MinSuggestionProbability"/>,
    /// never one a curator has rejected for that work. Returns the number of suggestions written.
    /// </summary>
    /// <param name="onlyUnsuggested">Only works the model has never suggested a style for (new arrivals), not every untagged work.</param>
    public async Task<int> RefreshSuggestionsAsync(bool onlyUnsuggested = false, CancellationToken cancellationToken = default)
    {
        await EnsureTrainedAsync(cancellationToken);
        var model = _model;
        if (model is null)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tagIds = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Style)
            .ToDictionaryAsync(t => t.Slug, t => t.Id, StringComparer.Ordinal, cancellationToken);
        var written = 0;
        var lastId = 0;
        while (true)
        {
            var batch = await db.Embeddings.AsNoTracking()
                .Where(e => e.ArtworkId > lastId && e.EncoderVersion == StyleEncoder.Version)
                .Where(e => !e.Artwork!.Tags.Any(t => t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == TagVocabulary.Style))
                .Where(e => !onlyUnsuggested || !e.Artwork!.Tags.Any(t => t.Source == TagSource.Model && t.Tag!.Vocabulary == TagVocabulary.Style))
                .OrderBy(e => e.ArtworkId).Take(500)
                .Select(e => new
                {
                    e.ArtworkId, e.Style, e.Content,
                    Rejected = e.Artwork!.Tags.Where(t => t.Status == TagStatus.Rejected).Select(t => t.TagId).ToList(),
                })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            lastId = batch[^1].ArtworkId;
            var ids = batch.Select(b => b.ArtworkId).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.ArtworkTags.Where(t => ids.Contains(t.ArtworkId) && t.Source == TagSource.Model && t.Status == TagStatus.Suggested && t.Tag!.Vocabulary == TagVocabulary.Style)
                .ExecuteDeleteAsync(cancellationToken);
            var now = time.GetUtcNow();
            foreach (var work in batch)
            {
                foreach (var prediction in Predict(work.Style.ToArray(), work.Content.ToArray(), MaxSuggestionsPerWork)
                    .Where(p => p.Probability >= MinSuggestionProbability))
                {
                    // A tag the model has never had a row for (rejected ones keep theirs).
                    if (tagIds.TryGetValue(prediction.Slug, out var tagId) && !work.Rejected.Contains(tagId))
                    {
                        db.ArtworkTags.Add(new ArtworkTag
                        {
                            ArtworkId = work.ArtworkId, TagId = tagId, Source = TagSource.Model, Status = TagStatus.Suggested,
                            Confidence = (float)prediction.Probability, CreatedBy = SuggestionAuthor, CreatedAt = now,
                        });
                        written++;
                    }
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return written;
    }

    public void Dispose() => _gate.Dispose();

    private static IQueryable<ArtworkTag> AcceptedStyleTags(GalleryDbContext db) =>
        db.ArtworkTags.Where(t => t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == TagVocabulary.Style);

    private async Task<TrainingFingerprint> FingerprintAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tags = await AcceptedStyleTags(db).GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Latest = g.Max(t => (DateTimeOffset?)t.CreatedAt), Checksum = g.Sum(t => ((long)t.ArtworkId * 7919) + t.TagId) })
            .FirstOrDefaultAsync(cancellationToken);
        var embedded = await AcceptedStyleTags(db).CountAsync(t => t.Artwork!.Embedding != null && t.Artwork.Embedding.EncoderVersion == StyleEncoder.Version, cancellationToken);
        return new TrainingFingerprint(tags?.Count ?? 0, tags?.Latest, tags?.Checksum ?? 0, embedded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Style recogniser trained on {Works} works, {Styles} styles in {Seconds:0.0} s")]
    private static partial void LogTrained(ILogger logger, int works, int styles, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Style recogniser not trained: {Problem}")]
    private static partial void LogNotTrained(ILogger logger, string problem);
}
