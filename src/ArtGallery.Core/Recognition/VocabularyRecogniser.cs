namespace ArtGallery.Core.Recognition;

/// <summary>
/// One recogniser for every controlled vocabulary: a <see cref="VocabularyHead"/> per
/// <see cref="TagVocabulary"/> (all but Free), each trained on that vocabulary's accepted tags over
/// the same stored embeddings. A vocabulary added to the enum gets a head with no other change.
/// </summary>
public sealed class VocabularyRecogniser : IDisposable
{
    /// <summary>
    /// A tag of a vocabulary other than Style is suggested only once this many works carry it. 25 was
    /// set before the learning curve (<c>eval tags --curve</c>, docs/understanding.md) was measured;
    /// there, one 0/1 tag reaches AUC ≈ 0.79 with about 20 positives, and below ~5 is barely better than chance.
    /// </summary>
    public const int MinWorksPerTagToSuggest = 25;

    /// <summary>Tags with fewer accepted works than this are not learned (there is nothing to generalise from).</summary>
    public const int MinWorksPerTagToLearn = 3;

    private readonly Dictionary<TagVocabulary, VocabularyHead> _heads;

    public VocabularyRecogniser(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider time, ILogger<VocabularyRecogniser> logger)
    {
        _heads = Vocabularies.ToDictionary(v => v, v => new VocabularyHead(v, SettingsFor(v), contextFactory, time, logger));
    }

    /// <summary>The vocabularies with a head: every controlled one (Free is anything else, nothing to learn).</summary>
    public static IReadOnlyList<TagVocabulary> Vocabularies { get; } = [.. Enum.GetValues<TagVocabulary>().Where(v => v != TagVocabulary.Free)];

    public IEnumerable<VocabularyHead> Heads => Vocabularies.Select(v => _heads[v]);

    public VocabularyHead Head(TagVocabulary vocabulary) =>
        _heads.TryGetValue(vocabulary, out var head) ? head : throw new ArgumentOutOfRangeException(nameof(vocabulary), vocabulary, "Free tags have no recogniser.");

    /// <summary>
    /// How each head learns. Style keeps the thresholds it was evaluated with (<c>eval styles</c>):
    /// three works are enough to suggest a movement. Other vocabularies wait for
    /// <see cref="MinWorksPerTagToSuggest"/> works per tag before suggesting it.
    /// </summary>
    public static HeadSettings SettingsFor(TagVocabulary vocabulary) => vocabulary == TagVocabulary.Style
        ? new HeadSettings(MinWorksPerTagToLearn, MinWorksPerTagToLearn, StyleRecognitionService.SuggestionAuthor)
        : new HeadSettings(MinWorksPerTagToLearn, MinWorksPerTagToSuggest, $"{vocabulary.ToString().ToLowerInvariant()}-recogniser");

    public void Dispose()
    {
        foreach (var head in _heads.Values)
        {
            head.Dispose();
        }
    }
}
