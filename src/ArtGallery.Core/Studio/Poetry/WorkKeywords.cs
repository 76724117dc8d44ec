using System.Globalization;
using ArtGallery.Core.Gallery;
using ArtGallery.Engines.Studio.Poetry;

namespace ArtGallery.Core.Studio.Poetry;

/// <summary>One keyword taken from a work, and where it came from ("title", "tag", "style", "colour").</summary>
public sealed record WorkKeyword(string Word, string Source);

/// <summary>
/// From a work to the words that steer its poem: title words first, then its tags (subjects and
/// mood, as the understanding issue's tags arrive), its style, and the names of its palette colours.
/// Pure; the generator later keeps only the words its vocabulary knows.
/// </summary>
public static class WorkKeywords
{
    public const int MaxKeywords = 6;

    // Named colours a poet would use, by RGB; a swatch takes the nearest one.
    private static readonly (string Name, int R, int G, int B)[] Colours =
    [
        ("red", 200, 30, 30), ("crimson", 150, 20, 50), ("rose", 230, 120, 150), ("orange", 240, 140, 30),
        ("gold", 215, 175, 40), ("yellow", 245, 230, 70), ("amber", 190, 120, 20), ("brown", 120, 75, 35),
        ("green", 40, 150, 60), ("olive", 110, 120, 40), ("emerald", 20, 120, 80), ("blue", 40, 80, 200),
        ("azure", 110, 170, 230), ("violet", 130, 70, 190), ("purple", 100, 30, 110), ("grey", 128, 128, 128),
        ("silver", 195, 195, 200), ("white", 245, 245, 240), ("black", 15, 15, 20), ("cream", 240, 230, 200),
    ];

    // Demo movement names and other styles are not poem words; these are what they look like.
    private static readonly Dictionary<string, string> StyleWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pointillism"] = "light", ["hardedge"] = "stone", ["hard-edge"] = "stone", ["drip"] = "rain", ["opart"] = "waves",
        ["op art"] = "waves", ["colourfield"] = "sky", ["colour field"] = "sky", ["mosaic"] = "stone", ["inkwash"] = "mist",
        ["ink wash"] = "mist", ["cubistfacets"] = "glass", ["cubist facets"] = "glass", ["neoplastic"] = "lines",
        ["swirl"] = "wind", ["impressionism"] = "light", ["romanticism"] = "storm", ["baroque"] = "shadow",
        ["realism"] = "earth", ["expressionism"] = "fire", ["surrealism"] = "dream",
    };

    public static IReadOnlyList<WorkKeyword> For(ArtworkDetail work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return From(work.Card.Title, work.Card.Style, work.Tags.Select(t => t.Name), work.Palette);
    }

    /// <summary>
    /// Keywords in order of weight (title, tags, style, colours), distinct, at most <see cref="MaxKeywords"/>:
    /// content words only (no stop words, three letters or more).
    /// </summary>
    public static IReadOnlyList<WorkKeyword> From(string title, string? style, IEnumerable<string> tags, IEnumerable<string> paletteHex)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(paletteHex);
        var result = new List<WorkKeyword>();
        void Add(IEnumerable<string> words, string source)
        {
            foreach (var w in words)
            {
                if (result.Count < MaxKeywords && PoemVocabulary.IsContentWord(w) && result.All(k => k.Word != w))
                {
                    result.Add(new WorkKeyword(w, source));
                }
            }
        }

        Add(Words(title), "title");
        Add(tags.SelectMany(Words), "tag");
        if (!string.IsNullOrWhiteSpace(style))
        {
            Add(StyleWords.TryGetValue(style.Trim(), out var word) ? [word] : Words(style), "style");
        }

        Add(paletteHex.Select(ColourName).OfType<string>(), "colour");
        return result;
    }

    /// <summary>The nearest named colour of "#rrggbb", or null if it is not one.</summary>
    public static string? ColourName(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var h = hex.TrimStart('#');
        if (h.Length != 6 || !int.TryParse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            return null;
        }

        var (r, g, b) = ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
        return Colours.MinBy(c => ((c.R - r) * (c.R - r)) + ((c.G - g) * (c.G - g)) + ((c.B - b) * (c.B - b))).Name;
    }

    private static IEnumerable<string> Words(string text) =>
        PoemVocabulary.Tokenize(text).Where(t => char.IsAsciiLetterLower(t[0]));
}
