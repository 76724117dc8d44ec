namespace ArtGallery.Core.Recognition;

/// <summary>A style the recogniser sees in a work, with its calibrated probability.</summary>
public sealed record StylePrediction(string Name, string Slug, double Probability);

/// <summary>How far to trust a reading (of any vocabulary's head; styles were first).</summary>
public enum StyleVerdict
{
    /// <summary>The top tag is clearly ahead.</summary>
    Confident,

    /// <summary>Like the collection, but no tag is clearly ahead (low top probability or margin).</summary>
    Unsure,

    /// <summary>Unlike every work the recogniser learned from: its probabilities mean nothing here.</summary>
    Unlike,
}

/// <summary>The recogniser's reading of one image: a verdict, the likely styles, and the nearest-work similarity behind "unlike".</summary>
public sealed record StyleReading(StyleVerdict Verdict, IReadOnlyList<StylePrediction> Predictions, double Similarity, double NoveltyThreshold);

/// <summary>What the recogniser was last trained on, for the UI and health checks.</summary>
public sealed record RecogniserStatus(bool IsTrained, int TrainingWorks, int Styles, DateTimeOffset? TrainedAt, double TrainingSeconds, float Temperature, string? Problem);

/// <summary>
/// The style recogniser: the Style head of the <see cref="VocabularyRecogniser"/>, seen through the
/// style-shaped API the artwork page, photo search and second look use. It learns from the works
/// curators have tagged with a style, predicts a distribution over those styles for any embedded work
/// or uploaded photo, and keeps model suggestions on untagged works up to date.
/// </summary>
public sealed class StyleRecognitionService(VocabularyRecogniser recogniser)
{
    /// <summary>Recorded as the author of model style suggestions.</summary>
    public const string SuggestionAuthor = "style-recogniser";

    /// <summary>Styles with fewer tagged works than this are not learned (there is nothing to generalise from).</summary>
    public const int MinWorksPerStyle = VocabularyRecogniser.MinWorksPerTagToLearn;

    /// <summary>Training examples kept per style: retraining stays a matter of seconds on any collection.</summary>
    public const int MaxWorksPerStyle = VocabularyHead.MaxWorksPerTag;

    /// <summary>Suggestions below this probability are not offered to curators.</summary>
    public const double MinSuggestionProbability = VocabularyHead.MinSuggestionProbability;

    public const int MaxSuggestionsPerWork = VocabularyHead.MaxSuggestionsPerWork;

    /// <summary>Below this top probability a reading is unsure (calibrated: right less than about half the time).</summary>
    public const double ConfidentProbability = VocabularyHead.ConfidentProbability;

    /// <summary>Below this lead of the top style over the second a reading is unsure.</summary>
    public const double ConfidentMargin = VocabularyHead.ConfidentMargin;

    /// <summary>Share of works like the training set that the novelty check may call unlike (its false-alarm rate).</summary>
    public const double NoveltyQuantile = VocabularyHead.NoveltyQuantile;

    private VocabularyHead Head => recogniser.Head(TagVocabulary.Style);

    public RecogniserStatus Status
    {
        get
        {
            var s = Head.Status;
            return new RecogniserStatus(s.IsTrained, s.TrainingWorks, s.Tags, s.TrainedAt, s.TrainingSeconds, s.Temperature, s.Problem);
        }
    }

    /// <summary>Retrains if the curator-tagged style set (or its embeddings) changed since the last training; true if it did.</summary>
    public Task<bool> EnsureTrainedAsync(CancellationToken cancellationToken = default) => Head.EnsureTrainedAsync(cancellationToken);

    /// <summary>The likely styles of a work, most probable first; empty without a current embedding or a trained model. Never trains.</summary>
    public async Task<IReadOnlyList<StylePrediction>> PredictAsync(int artworkId, int top = 3, CancellationToken cancellationToken = default) =>
        Styles(await Head.PredictAsync(artworkId, top, cancellationToken));

    /// <summary>The likely styles of any encoded image (an upload, say) under the current model.</summary>
    public IReadOnlyList<StylePrediction> Predict(ReadOnlySpan<float> style, ReadOnlySpan<float> content, int top = 3) => Styles(Head.Predict(style, content, top));

    /// <summary>
    /// The recogniser's reading of a work for people: the likely styles with a verdict, so a page can
    /// say "unsure" or "not like any style here" instead of a confident wrong answer. Null when the
    /// work has no current embedding or no model is trained.
    /// </summary>
    public async Task<StyleReading?> ReadAsync(int artworkId, int top = 3, CancellationToken cancellationToken = default) =>
        Style(await Head.ReadAsync(artworkId, top, cancellationToken));

    /// <summary>As <see cref="ReadAsync"/> for any encoded image (an uploaded photo, say).</summary>
    public StyleReading? Read(ReadOnlySpan<float> style, ReadOnlySpan<float> content, int top = 3) => Style(Head.Read(style, content, top));

    /// <summary>The verdict on one reading: novelty first, then the top probability and its lead over the second.</summary>
    public static StyleVerdict Judge(IReadOnlyList<float> probabilities, float similarity, float noveltyThreshold) =>
        VocabularyHead.Judge(probabilities, similarity, noveltyThreshold);

    /// <summary>
    /// Replaces the model's style suggestions on every embedded work that has no accepted style
    /// (see <see cref="VocabularyHead.RefreshSuggestionsAsync"/>). Returns the number written.
    /// </summary>
    /// <param name="onlyUnsuggested">Only works the model has never suggested a style for (new arrivals), not every untagged work.</param>
    public Task<int> RefreshSuggestionsAsync(bool onlyUnsuggested = false, CancellationToken cancellationToken = default) =>
        Head.RefreshSuggestionsAsync(onlyUnsuggested, cancellationToken);

    private static List<StylePrediction> Styles(IReadOnlyList<TagPrediction> predictions) =>
        [.. predictions.Select(p => new StylePrediction(p.Name, p.Slug, p.Probability))];

    private static StyleReading? Style(TagReading? reading) =>
        reading is null ? null : new StyleReading(reading.Verdict, Styles(reading.Predictions), reading.Similarity, reading.NoveltyThreshold);
}
