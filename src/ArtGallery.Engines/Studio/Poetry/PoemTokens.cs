using System.Text.RegularExpressions;

namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>
/// The poem model's tokenisation, the same as models/training/poem/train.py's (keep the two in
/// step): lower-case; a word is [a-z]+ with inner apostrophes, punctuation is one of . , ; : ! ? -
/// and every other character separates; each non-empty line ends with &lt;nl&gt; and a run of blank
/// lines between lines is one &lt;st&gt;. Ids come from the vocabulary file the recipe writes.
/// </summary>
public sealed partial class PoemVocabulary
{
    public const int Pad = 0, Unk = 1, Bos = 2, Eos = 3, NewLine = 4, Stanza = 5, KeywordsStart = 6, KeywordsEnd = 7;

    public const int SpecialCount = 8;

    /// <summary>The training recipe's stop words: keywords are drawn from the other words.</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(
        """
        a about above after again against all am an and any are as at be because been before being below between both
        but by can could did do does doing down during each few for from further had has have having he her here hers
        herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
        once only or other our ours ourselves out over own same she should so some such than that the their theirs them
        themselves then there these they this those through to too under until up upon very was we were what when where
        which while who whom why will with would you your yours yourself thou thee thy thine ye hath doth shall may might
        must let yet o oh ah shalt wilt art one every still nor ere'er e'er till unto thus th' tis 'tis lo like
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    public PoemVocabulary(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count <= SpecialCount || tokens[Unk] != "<unk>" || tokens[NewLine] != "<nl>" || tokens[KeywordsEnd] != "</kw>")
        {
            throw new ArgumentException("not a poem vocabulary: the special tokens are missing or out of order", nameof(tokens));
        }

        _tokens = [.. tokens];
        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            _ids[tokens[i]] = i;
        }

        IsWord = _tokens.Select((t, i) => i >= SpecialCount && char.IsAsciiLetterLower(t[0])).ToArray();
    }

    public int Count => _tokens.Length;

    /// <summary>For each id: whether it is a word (not punctuation, not a special token).</summary>
    public IReadOnlyList<bool> IsWord { get; }

    public static PoemVocabulary Load(string path) =>
        new(File.ReadAllLines(path, System.Text.Encoding.UTF8).Where(l => l.Length > 0).ToList());

    public string this[int id] => _tokens[id];

    public int Id(string token) => _ids.GetValueOrDefault(token, Unk);

    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>The recipe's token strings of a poem text (words, punctuation, &lt;nl&gt;, &lt;st&gt;).</summary>
    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var blank = false;
        foreach (var line in text.ToLowerInvariant().Split('\n'))
        {
            var matches = TokenPattern().Matches(line);
            if (matches.Count == 0)
            {
                blank = tokens.Count > 0;
                continue;
            }

            if (blank)
            {
                tokens.Add("<st>");
                blank = false;
            }

            foreach (Match m in matches)
            {
                tokens.Add(m.Value);
            }

            tokens.Add("<nl>");
        }

        return tokens;
    }

    public int[] Encode(IEnumerable<string> tokens) => tokens.Select(Id).ToArray();

    /// <summary>
    /// The distinct content words of a token list in order of first use (length 3+, not a stop
    /// word), as the recipe draws keywords from a poem.
    /// </summary>
    public static List<string> ContentWords(IEnumerable<string> tokens) =>
        tokens.Where(IsContentWord).Distinct(StringComparer.Ordinal).ToList();

    public static bool IsContentWord(string token) =>
        token.Length >= 3 && char.IsAsciiLetterLower(token[0]) && !StopWords.Contains(token);

    [GeneratedRegex(@"[a-z]+(?:'[a-z]+)*|[.,;:!?\-]", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
