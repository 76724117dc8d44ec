using System.Globalization;
using System.Text;

namespace ArtGallery.Engines.Text;

/// <summary>
/// BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 was trained with: lower-case, strip
/// accents, split on whitespace and punctuation, then greedy longest-match sub-words ("##" marks a
/// continuation). Pure and allocation-light; the vocabulary comes from the model package.
/// </summary>
public sealed class WordPieceTokenizer
{
    public const string Unknown = "[UNK]";
    public const string Classifier = "[CLS]";
    public const string Separator = "[SEP]";

    // BERT gives up on a "word" longer than this and emits [UNK] for it.
    private const int MaxWordChars = 100;

    private readonly Dictionary<string, int> _vocabulary;

    public WordPieceTokenizer(IEnumerable<string> vocabularyLines)
    {
        ArgumentNullException.ThrowIfNull(vocabularyLines);
        _vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var line in vocabularyLines)
        {
            _vocabulary.TryAdd(line.TrimEnd('\r'), id++);
        }

        UnknownId = _vocabulary[Unknown];
        ClassifierId = _vocabulary[Classifier];
        SeparatorId = _vocabulary[Separator];
    }

    public int UnknownId { get; }

    public int ClassifierId { get; }

    public int SeparatorId { get; }

    public int VocabularySize => _vocabulary.Count;

    /// <summary>[CLS] pieces… [SEP], at most <paramref name="maxTokens"/> ids in all (the tail is cut).</summary>
    public long[] Encode(string text, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var ids = new List<long>(Math.Min(maxTokens, 64)) { ClassifierId };
        foreach (var word in BasicTokens(text))
        {
            foreach (var piece in Pieces(word))
            {
                if (ids.Count == maxTokens - 1)
                {
                    ids.Add(SeparatorId);
                    return [.. ids];
                }

                ids.Add(piece);
            }
        }

        ids.Add(SeparatorId);
        return [.. ids];
    }

    /// <summary>The pieces as strings (for tests and for explaining a match).</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var reverse = _vocabulary.ToDictionary(p => p.Value, p => p.Key);
        return [.. BasicTokens(text).SelectMany(Pieces).Select(id => reverse[id])];
    }

    /// <summary>Lower-cased, accent-free words and single punctuation marks, in order.</summary>
    public static IEnumerable<string> BasicTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var word = new StringBuilder();
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark || c == '\0' || c == '\uFFFD' || (char.IsControl(c) && !char.IsWhiteSpace(c)))
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            else if (IsPunctuation(c, category))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }

                yield return c.ToString();
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    private IEnumerable<int> Pieces(string word)
    {
        if (word.Length > MaxWordChars)
        {
            return [UnknownId];
        }

        var pieces = new List<int>();
        var start = 0;
        while (start < word.Length)
        {
            var end = word.Length;
            var found = -1;
            while (start < end)
            {
                var candidate = start > 0 ? string.Concat("##", word.AsSpan(start, end - start)) : word[start..end];
                if (_vocabulary.TryGetValue(candidate, out var id))
                {
                    found = id;
                    break;
                }

                end--;
            }

            if (found < 0)
            {
                // BERT: one unmatchable piece makes the whole word unknown.
                return [UnknownId];
            }

            pieces.Add(found);
            start = end;
        }

        return pieces;
    }

    // BERT counts every ASCII non-alphanumeric printable as punctuation, plus Unicode's P* classes.
    private static bool IsPunctuation(char c, UnicodeCategory category) =>
        (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)
        || category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
}
