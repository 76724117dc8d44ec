namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>The statistics `eval poems` prints: diversity, repetition, line length and keyword ranking.</summary>
public static class PoemMetrics
{
    /// <summary>
    /// Held-out rule shared with the training recipe: FNV-1a-32 of the poem's decimal id, mod 100, under 5.
    /// </summary>
    public static bool IsHeldOut(long poemId)
    {
        var h = 0x811C9DC5u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(poemId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            h ^= b;
            h *= 0x01000193u;
        }

        return h % 100 < 5;
    }

    /// <summary>Distinct word bigrams over all bigrams, bigrams taken within lines of every poem.</summary>
    public static double Distinct2(IEnumerable<IReadOnlyList<string>> poems)
    {
        ArgumentNullException.ThrowIfNull(poems);
        var seen = new HashSet<(string, string)>();
        var total = 0;
        foreach (var line in poems.SelectMany(p => p))
        {
            var words = Words(line);
            for (var i = 1; i < words.Count; i++)
            {
                seen.Add((words[i - 1], words[i]));
                total++;
            }
        }

        return total == 0 ? 0 : seen.Count / (double)total;
    }

    /// <summary>Share of verse lines that repeat an earlier line of the same poem (case and punctuation ignored).</summary>
    public static double RepeatedLineRate(IEnumerable<IReadOnlyList<string>> poems)
    {
        ArgumentNullException.ThrowIfNull(poems);
        int lines = 0, repeated = 0;
        foreach (var poem in poems)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in poem.Where(l => l.Length > 0))
            {
                lines++;
                repeated += seen.Add(string.Join(' ', Words(line))) ? 0 : 1;
            }
        }

        return lines == 0 ? 0 : repeated / (double)lines;
    }

    /// <summary>Mean words per verse line.</summary>
    public static double MeanLineWords(IEnumerable<IReadOnlyList<string>> poems)
    {
        ArgumentNullException.ThrowIfNull(poems);
        var counts = poems.SelectMany(p => p).Where(l => l.Length > 0).Select(l => Words(l).Count).ToList();
        return counts.Count == 0 ? 0 : counts.Average();
    }

    /// <summary>
    /// For each text i, the 1-based rank of keyword set i among all sets by TF-IDF cosine similarity
    /// (idf over the sets). Ties count against the true set, so chance is no better than 1/n.
    /// </summary>
    public static int[] KeywordRanks(IReadOnlyList<IReadOnlyList<string>> texts, IReadOnlyList<IReadOnlyList<string>> keywordSets)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(keywordSets);
        if (texts.Count != keywordSets.Count)
        {
            throw new ArgumentException("one keyword set per text", nameof(keywordSets));
        }

        var n = keywordSets.Count;
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in keywordSets.SelectMany(s => s.Distinct(StringComparer.Ordinal)))
        {
            df[w] = df.GetValueOrDefault(w) + 1;
        }

        double Idf(string w) => Math.Log((1.0 + n) / (1.0 + df.GetValueOrDefault(w))) + 1;
        var sets = keywordSets.Select(s => s.Distinct(StringComparer.Ordinal).ToDictionary(w => w, Idf, StringComparer.Ordinal)).ToList();
        var ranks = new int[n];
        for (var i = 0; i < n; i++)
        {
            var tf = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var w in texts[i].SelectMany(Words).Where(df.ContainsKey))
            {
                tf[w] = tf.GetValueOrDefault(w) + Idf(w);
            }

            var norm = Math.Sqrt(tf.Values.Sum(v => v * v));
            var scores = sets.Select(s =>
            {
                var dot = s.Sum(kv => kv.Value * tf.GetValueOrDefault(kv.Key));
                var sn = Math.Sqrt(s.Values.Sum(v => v * v));
                return norm == 0 || sn == 0 ? 0 : dot / (norm * sn);
            }).ToArray();
            ranks[i] = 1 + scores.Where((s, j) => j != i && s >= scores[i]).Count();
        }

        return ranks;
    }

    private static List<string> Words(string line) =>
        PoemVocabulary.Tokenize(line).Where(t => char.IsAsciiLetterLower(t[0])).ToList();
}
