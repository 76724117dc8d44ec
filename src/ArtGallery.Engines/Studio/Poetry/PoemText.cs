using System.Text;

namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>Turns the model's tokens back into lines of text, and finds rhymes by spelling.</summary>
public static class PoemText
{
    /// <summary>
    /// Lines of a poem from tokens (&lt;nl&gt; ends a line, &lt;st&gt; is an empty line between stanzas):
    /// punctuation joins the word before it, a hyphen joins both sides, each line and "i" are capitalised.
    /// </summary>
    public static List<string> Lines(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var lines = new List<string>();
        var line = new StringBuilder();
        var joinNext = false;
        foreach (var token in tokens)
        {
            switch (token)
            {
                case "<nl>":
                    lines.Add(Capitalise(line.ToString()));
                    line.Clear();
                    joinNext = false;
                    break;
                case "<st>":
                    lines.Add(string.Empty);
                    break;
                case "-":
                    line.Append('-');
                    joinNext = true;
                    break;
                case "." or "," or ";" or ":" or "!" or "?":
                    line.Append(token);
                    break;
                default:
                    if (token.StartsWith('<'))
                    {
                        break;
                    }

                    if (line.Length > 0 && !joinNext)
                    {
                        line.Append(' ');
                    }

                    line.Append(token is "i" || token.StartsWith("i'", StringComparison.Ordinal) ? "I" + token[1..] : token);
                    joinNext = false;
                    break;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(Capitalise(line.ToString()));
        }

        return lines;
    }

    /// <summary>
    /// The spelling rhyme of a word: from its last vowel group to the end ("night" → "ight"); a final
    /// silent e reaches back one group ("stone" → "one"). Spelling, not sound: "love" and "move" match
    /// and "true" and "through" do not (no pronunciation table ships as a package here).
    /// </summary>
    public static string RhymeKey(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var w = word.Replace("'", string.Empty, StringComparison.Ordinal);
        if (w.Length == 0)
        {
            return string.Empty;
        }

        var start = LastVowelGroup(w, w.Length);
        if (start == w.Length - 1 && w[^1] == 'e' && start > 0)
        {
            var before = LastVowelGroup(w, start);
            start = before < start ? before : start;
        }

        // A one-letter ending ("pussy" → "y") takes the letter before it ("sy"), so it can match at all.
        start = start < 0 ? 0 : Math.Min(start, Math.Max(0, w.Length - 2));
        return w[start..];
    }

    /// <summary>Whether two different words rhyme by spelling (same key of two letters or more).</summary>
    public static bool Rhymes(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return false;
        }

        var key = RhymeKey(a);
        return key.Length >= 2 && key == RhymeKey(b);
    }

    private static int LastVowelGroup(string w, int end)
    {
        var i = end - 1;
        while (i >= 0 && !IsVowel(w, i))
        {
            i--;
        }

        if (i < 0)
        {
            return -1;
        }

        while (i > 0 && IsVowel(w, i - 1))
        {
            i--;
        }

        return i;
    }

    private static bool IsVowel(string w, int i) => w[i] is 'a' or 'e' or 'i' or 'o' or 'u' || (w[i] == 'y' && i > 0);

    private static string Capitalise(string line) =>
        line.Length == 0 ? line : char.ToUpperInvariant(line[0]) + line[1..];
}
