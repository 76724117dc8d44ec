using System.Globalization;
using ArtGallery.Engines.Demo;

namespace ArtGallery.Core.Search;

/// <summary>
/// One paraphrased query of the words evaluation and the generator metadata that makes a work
/// relevant to it: the subject the generator painted, and the title's qualifier it chose
/// (time of day, season, weather or colour). The query avoids the words of both.
/// </summary>
public sealed record TextSearchQuery(string Text, DemoSubject? Subject, string? Qualifier)
{
    /// <summary>Graded gain 0..2: the share of the query's aspects a work has, times two.</summary>
    public int Gain(DemoSubject subject, string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var aspects = (Subject is null ? 0 : 1) + (Qualifier is null ? 0 : 1);
        var matched = (Subject == subject ? 1 : 0) + (Qualifier is not null && title.EndsWith(Qualifier, StringComparison.Ordinal) ? 1 : 0);
        return aspects == 0 ? 0 : 2 * matched / aspects;
    }
}

/// <summary>The paraphrased query set over the demo collection and NDCG@10.</summary>
public static class TextSearchEvaluation
{
    /// <summary>
    /// Written in paraphrase: no query uses its subject's tag name, a word of its qualifier or a word
    /// of any demo title, so a work is found by what the words mean (or a coincidental word in its
    /// colours or description).
    /// </summary>
    public static readonly IReadOnlyList<TextSearchQuery> Queries =
    [
        new("boats on the ocean after dark", DemoSubject.Seascape, "at Night"),
        new("waves under an evening sky", DemoSubject.Seascape, "at Dusk"),
        new("the coast washed in azure", DemoSubject.Seascape, "in Blue"),
        new("a person's likeness in crimson tones", DemoSubject.Portrait, "in Red"),
        new("someone sitting for the artist at daybreak", DemoSubject.Portrait, "at Dawn"),
        new("fruit and crockery on a sideboard at midday", DemoSubject.StillLife, "at Noon"),
        new("a dish of produce in yellow-brown earth tones", DemoSubject.StillLife, "in Ochre"),
        new("urban skyline at sunrise", DemoSubject.Cityscape, "at Dawn"),
        new("buildings and avenues around midnight", DemoSubject.Cityscape, "at Night"),
        new("snowy countryside", DemoSubject.Landscape, "in Winter"),
        new("rolling farmland once the storm has passed", DemoSubject.Landscape, "after Rain"),
        new("rural scenery at twilight", DemoSubject.Landscape, "at Dusk"),
        new("a single woody plant when blossoms appear", DemoSubject.Tree, "in Spring"),
        new("a forest giant in the cold season", DemoSubject.Tree, "in Winter"),
        new("branches against a scarlet background", DemoSubject.Tree, "in Red"),
        new("seafaring waters at sundown", DemoSubject.Seascape, "at Dusk"),
        new("maritime view", DemoSubject.Seascape, null),
        new("metropolitan scenery", DemoSubject.Cityscape, null),
        new("a human being posing", DemoSubject.Portrait, null),
        new("arranged objects: pitchers, produce and vessels", DemoSubject.StillLife, null),
    ];

    /// <summary>NDCG@k of a ranking given every work's gain (the ideal ranking sorts all gains).</summary>
    public static double Ndcg(IReadOnlyList<int> rankedIds, IReadOnlyDictionary<int, int> gains, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(rankedIds);
        ArgumentNullException.ThrowIfNull(gains);
        static double Dcg(IEnumerable<int> g) => g.Select((gain, i) => (Math.Pow(2, gain) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(gains.Values.OrderByDescending(g => g).Take(k));
        return ideal <= 0 ? 0 : Dcg(rankedIds.Take(k).Select(id => gains.GetValueOrDefault(id))) / ideal;
    }

    /// <summary>The demo work behind a stored work's Source ("demo:SEED/INDEX"), or null for any other work.</summary>
    public static (int Seed, int Index)? ParseDemoSource(string? source)
    {
        if (source is null || !source.StartsWith("demo:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = source[5..].Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? (seed, index) : null;
    }
}
