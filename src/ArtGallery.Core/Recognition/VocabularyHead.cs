using System.Diagnostics;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recognition;

/// <summary>A tag of one vocabulary the recogniser sees in a work, with its calibrated probability.</summary>
public sealed record TagPrediction(string Name, string Slug, double Probability);

/// <summary>A head's reading of one image: a verdict, the likely tags, and the nearest-work similarity behind "unlike".</summary>
public sealed record TagReading(StyleVerdict Verdict, IReadOnlyList<TagPrediction> Predictions, double Similarity, double NoveltyThreshold);

/// <summary>
/// What one vocabulary's head was last trained on. <see cref="Tags"/> are the tags it learned;
/// <see cref="SuggestedTags"/> those with enough tagged works for their suggestions to be shown.
/// </summary>
public sealed record HeadStatus(TagVocabulary Vocabulary, bool IsTrained, int TrainingWorks, int Tags, int SuggestedTags, DateTimeOffset? TrainedAt, double TrainingSeconds, float Temperature, string? Problem);

/// <summary>
/// How one vocabulary's head learns and when its suggestions are shown.
/// </summary>
/// <param name="MinWorksToLearn">Tags with fewer accepted works than this are not learned (nothing to generalise from).</param>
/// <param name="MinWorksToSuggest">A tag is suggested (review queue, artwork page) only once this many works carry it.</param>
/// <param name="SuggestionAuthor">Recorded as the author of this head's model suggestions.</param>
public sealed record HeadSettings(int MinWorksToLearn, int MinWorksToSuggest, string SuggestionAuthor);

/// <summary>What one work shows in one vocabulary: the curators' tags, and the head's suggestions beside them.</summary>
/// <param name="Curator">Accepted tags (a curator's, or a model suggestion a curator accepted).</param>
/// <param name="Model">The head's likely tags at or above the suggestion threshold, never one a curator rejected for this work; probabilities also for curator tags.</param>
/// <param name="Ready">False while the head has no tag with enough tagged works to suggest (it then suggests nothing).</param>
public sealed record WorkVocabulary(TagVocabulary Vocabulary, IReadOnlyList<string> Curator, IReadOnlyList<TagPrediction> Model, bool Ready);

/// <summary>
/// One vocabulary's recogniser: learns from the works curators have tagged in that vocabulary
/// (accepted tags), predicts a distribution over those tags for any embedded work or uploaded photo,
/// and keeps model suggestions on works without an accepted tag of the vocabulary up to date.
/// Retrains when that vocabulary's tagged set changes. One label per work (its most confident
/// accepted tag): a softmax head, as the style recogniser has always been.
/// </summary>
public sealed partial class VocabularyHead(TagVocabulary vocabulary, HeadSettings settings, IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>Training examples kept per tag: retraining stays a matter of seconds on any collection.</summary>
    public const int MaxWorksPerTag = 1500;

    /// <summary>Suggestions below this probability are not offered to curators.</summary>
    public const double MinSuggestionProbability = 0.15;

    public const int MaxSuggestionsPerWork = 3;

    /// <summary>Below this top probability a reading is unsure (calibrated on styles: right less than about half the time).</summary>
    public const double ConfidentProbability = 0.45;

    /// <summary>Below this lead of the top tag over the second a reading is unsure.</summary>
    public const double ConfidentMargin = 0.15;

    /// <summary>Share of works like the training set that the novelty check may call unlike (its false-alarm rate).</summary>
    public const double NoveltyQuantile = 0.01;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile TrainedModel? _model;
    private TrainingFingerprint? _lastFailed;
    private HeadStatus _status = new(vocabulary, false, 0, 0, 0, null, 0, 1, "not trained yet");

    private sealed record TrainedModel(SoftmaxClassifier Classifier, NoveltyDetector Novelty, IReadOnlyList<(string Name, string Slug)> Tags, IReadOnlySet<string> Suggestable, TrainingFingerprint Fingerprint);

    private sealed record TrainingFingerprint(int Count, DateTimeOffset? Latest, long Checksum, int Embedded);

    public TagVocabulary Vocabulary => vocabulary;

    public HeadSettings Settings => settings;

    public HeadStatus Status => _status;

    /// <summary>Retrains if this vocabulary's curator-tagged set (or its embeddings) changed since the last training; true if it did.</summary>
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
        var rows = await AcceptedTags(db)
            .Where(t => t.Artwork!.Embedding != null && t.Artwork.Embedding.EncoderVersion == StyleEncoder.Version)
            .OrderBy(t => t.ArtworkId).ThenByDescending(t => t.Confidence).ThenBy(t => t.TagId)
            .Select(t => new { t.ArtworkId, t.Tag!.Name, t.Tag.Slug, t.Artwork!.Embedding!.Style, t.Artwork.Embedding.Content })
            .ToListAsync(cancellationToken);

        // One label per work (its most confident accepted tag); tags too rare to learn are left out.
        var learned = rows.DistinctBy(r => r.ArtworkId)
            .GroupBy(r => r.Slug, StringComparer.Ordinal)
            .Where(g => g.Count() >= settings.MinWorksToLearn)
            .ToList();
        var suggestable = learned.Where(g => g.Count() >= settings.MinWorksToSuggest).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var examples = learned.SelectMany(g => g.OrderBy(r => (r.ArtworkId * 2654435761L) % 1_000_003).Take(MaxWorksPerTag)).ToList();
        var tags = examples.Select(e => (e.Name, e.Slug)).DistinctBy(s => s.Slug).OrderBy(s => s.Slug, StringComparer.Ordinal).ToList();
        if (tags.Count < 2)
        {
            _model = null;
            _lastFailed = fingerprint;
            _status = new HeadStatus(vocabulary, false, examples.Count, tags.Count, 0, null, 0, 1,
                $"needs works tagged with at least two {Plural}, {settings.MinWorksToLearn} or more works each");
            LogNotTrained(logger, vocabulary, _status.Problem!);
            return false;
        }

        var features = examples.Select(e => RecogniserFeatures.From(e.Style.ToArray(), e.Content.ToArray())).ToList();
        var classifier = await Task.Run(() => SoftmaxClassifier.Train(features, [.. examples.Select(e => e.Slug)]), cancellationToken);
        var novelty = await Task.Run(() => NoveltyDetector.Fit(features, NoveltyQuantile), cancellationToken);
        _model = new TrainedModel(classifier, novelty, [.. classifier.Classes.Select(slug => tags.First(s => s.Slug == slug))], suggestable, fingerprint);
        _status = new HeadStatus(vocabulary, true, examples.Count, tags.Count, suggestable.Count, time.GetUtcNow(), clock.Elapsed.TotalSeconds, classifier.Temperature, null);
        LogTrained(logger, vocabulary, examples.Count, tags.Count, suggestable.Count, clock.Elapsed.TotalSeconds);
        return true;
    }

    /// <summary>The likely tags of a work, most probable first; empty if it has no current embedding or no model is trained yet.</summary>
    /// <remarks>
    /// Never trains: training is the worker's (or <see cref="EnsureTrainedAsync"/>'s) job, so an
    /// artwork page is never held up by a retrain or by the fingerprint queries that decide one.
    /// </remarks>
    public async Task<IReadOnlyList<TagPrediction>> PredictAsync(int artworkId, int top = 3, CancellationToken cancellationToken = default)
    {
        if (_model is null)
        {
            return [];
        }

        var embedding = await EmbeddingAsync(artworkId, cancellationToken);
        return embedding is null ? [] : Predict(embedding.Value.Style, embedding.Value.Content, top);
    }

    /// <summary>The likely tags of any encoded image (an upload, say) under the current model.</summary>
    public IReadOnlyList<TagPrediction> Predict(ReadOnlySpan<float> style, ReadOnlySpan<float> content, int top = 3)
    {
        var model = _model;
        if (model is null)
        {
            return [];
        }

        var probabilities = model.Classifier.Predict(RecogniserFeatures.From(style, content));
        return Ranked(model, probabilities, top);
    }

    /// <summary>The head's reading of a work, with a verdict; null when the work has no current embedding or no model is trained.</summary>
    public async Task<TagReading?> ReadAsync(int artworkId, int top = 3, CancellationToken cancellationToken = default)
    {
        if (_model is null)
        {
            return null;
        }

        var embedding = await EmbeddingAsync(artworkId, cancellationToken);
        return embedding is null ? null : Read(embedding.Value.Style, embedding.Value.Content, top);
    }

    /// <summary>As <see cref="ReadAsync"/> for any encoded image (an uploaded photo, say).</summary>
    public TagReading? Read(ReadOnlySpan<float> style, ReadOnlySpan<float> content, int top = 3)
    {
        var model = _model;
        if (model is null)
        {
            return null;
        }

        var features = RecogniserFeatures.From(style, content);
        var probabilities = model.Classifier.Predict(features);
        var similarity = model.Novelty.Similarity(features);
        return new TagReading(Judge(probabilities, similarity, model.Novelty.Threshold), Ranked(model, probabilities, top), similarity, model.Novelty.Threshold);
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

    /// <summary>True if the current model has seen enough works of <paramref name="slug"/> to suggest it.</summary>
    public bool IsSuggestable(string slug) => _model?.Suggestable.Contains(slug) ?? false;

    /// <summary>
    /// What a work shows in this vocabulary, for visitors: its accepted tags, and the head's
    /// suggestions (tags ready to suggest, at or above <see cref="MinSuggestionProbability"/>, never one
    /// a curator rejected for this work). Never trains.
    /// </summary>
    public async Task<WorkVocabulary> DescribeAsync(int artworkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var decided = await db.ArtworkTags.AsNoTracking()
            .Where(t => t.ArtworkId == artworkId && t.Tag!.Vocabulary == vocabulary && t.Status != TagStatus.Suggested)
            .OrderByDescending(t => t.Confidence).ThenBy(t => t.Tag!.Name)
            .Select(t => new { t.Status, t.Tag!.Name, t.Tag.Slug })
            .ToListAsync(cancellationToken);
        var curator = decided.Where(t => t.Status == TagStatus.Accepted).Select(t => t.Name).ToList();
        var rejected = decided.Where(t => t.Status == TagStatus.Rejected).Select(t => t.Slug).ToHashSet(StringComparer.Ordinal);
        var model = _model;
        if (model is null || model.Suggestable.Count == 0)
        {
            return new WorkVocabulary(vocabulary, curator, [], Ready: false);
        }

        var predictions = await PredictAsync(artworkId, MaxSuggestionsPerWork, cancellationToken);
        return new WorkVocabulary(vocabulary, curator,
            [.. predictions.Where(p => p.Probability >= MinSuggestionProbability && model.Suggestable.Contains(p.Slug) && !rejected.Contains(p.Slug))], Ready: true);
    }

    /// <summary>
    /// Replaces this head's suggestions on every embedded work that has no accepted tag of the
    /// vocabulary: up to <see cref="MaxSuggestionsPerWork"/> tags at or above
    /// <see cref="MinSuggestionProbability"/>, only tags with <see cref="HeadSettings.MinWorksToSuggest"/>
    /// tagged works, never one a curator has rejected for that work. Returns the number written.
    /// </summary>
    /// <param name="onlyUnsuggested">Only works the model has never suggested a tag of this vocabulary for (new arrivals), not every untagged work.</param>
    public async Task<int> RefreshSuggestionsAsync(bool onlyUnsuggested = false, CancellationToken cancellationToken = default)
    {
        await EnsureTrainedAsync(cancellationToken);
        var model = _model;
        if (model is null)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tagIds = await db.Tags.Where(t => t.Vocabulary == vocabulary)
            .ToDictionaryAsync(t => t.Slug, t => t.Id, StringComparer.Ordinal, cancellationToken);
        var written = 0;
        var lastId = 0;
        while (true)
        {
            var batch = await db.Embeddings.AsNoTracking()
                .Where(e => e.ArtworkId > lastId && e.EncoderVersion == StyleEncoder.Version)
                .Where(e => !e.Artwork!.Tags.Any(t => t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == vocabulary))
                .Where(e => !onlyUnsuggested || !e.Artwork!.Tags.Any(t => t.Source == TagSource.Model && t.Tag!.Vocabulary == vocabulary))
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
            await db.ArtworkTags.Where(t => ids.Contains(t.ArtworkId) && t.Source == TagSource.Model && t.Status == TagStatus.Suggested && t.Tag!.Vocabulary == vocabulary)
                .ExecuteDeleteAsync(cancellationToken);
            var now = time.GetUtcNow();
            foreach (var work in batch)
            {
                foreach (var prediction in Predict(work.Style.ToArray(), work.Content.ToArray(), MaxSuggestionsPerWork)
                    .Where(p => p.Probability >= MinSuggestionProbability && model.Suggestable.Contains(p.Slug)))
                {
                    // A tag the model has never had a row for (rejected ones keep theirs).
                    if (tagIds.TryGetValue(prediction.Slug, out var tagId) && !work.Rejected.Contains(tagId))
                    {
                        db.ArtworkTags.Add(new ArtworkTag
                        {
                            ArtworkId = work.ArtworkId, TagId = tagId, Source = TagSource.Model, Status = TagStatus.Suggested,
                            Confidence = (float)prediction.Probability, CreatedBy = settings.SuggestionAuthor, CreatedAt = now,
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

    private string Plural => vocabulary switch
    {
        TagVocabulary.Style => "styles",
        TagVocabulary.Genre => "genres",
        TagVocabulary.Subject => "subjects",
        TagVocabulary.Mood => "moods",
        TagVocabulary.Medium => "media",
        _ => "tags",
    };

    private static IReadOnlyList<TagPrediction> Ranked(TrainedModel model, float[] probabilities, int top) =>
        [.. Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(Math.Max(1, top))
            .Select(i => new TagPrediction(model.Tags[i].Name, model.Tags[i].Slug, probabilities[i]))];

    private async Task<(float[] Style, float[] Content)?> EmbeddingAsync(int artworkId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var embedding = await db.Embeddings.AsNoTracking()
            .Where(e => e.ArtworkId == artworkId && e.EncoderVersion == StyleEncoder.Version)
            .Select(e => new { e.Style, e.Content }).FirstOrDefaultAsync(cancellationToken);
        return embedding is null ? null : (embedding.Style.ToArray(), embedding.Content.ToArray());
    }

    private IQueryable<ArtworkTag> AcceptedTags(GalleryDbContext db) =>
        db.ArtworkTags.Where(t => t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == vocabulary);

    private async Task<TrainingFingerprint> FingerprintAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tags = await AcceptedTags(db).GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Latest = g.Max(t => (DateTimeOffset?)t.CreatedAt), Checksum = g.Sum(t => ((long)t.ArtworkId * 7919) + t.TagId) })
            .FirstOrDefaultAsync(cancellationToken);
        var embedded = await AcceptedTags(db).CountAsync(t => t.Artwork!.Embedding != null && t.Artwork.Embedding.EncoderVersion == StyleEncoder.Version, cancellationToken);
        return new TrainingFingerprint(tags?.Count ?? 0, tags?.Latest, tags?.Checksum ?? 0, embedded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Vocabulary} recogniser trained on {Works} works, {Tags} tags ({Suggested} ready to suggest) in {Seconds:0.0} s")]
    private static partial void LogTrained(ILogger logger, TagVocabulary vocabulary, int works, int tags, int suggested, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Vocabulary} recogniser not trained: {Problem}")]
    private static partial void LogNotTrained(ILogger logger, TagVocabulary vocabulary, string problem);
}
