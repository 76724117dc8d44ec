using System.Globalization;
using ArtGallery.Core.Search;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// How a work's colours are expected to feel, by a published colour–emotion model: Valdez and
/// Mehrabian (1994, "Effects of color on emotions", J. Exp. Psychol. Gen. 123(4)) regressed
/// pleasure, arousal and dominance (PAD) ratings of colour samples on their brightness and
/// saturation: P = .69 Y + .22 S, A = −.31 Y + .60 S, D = −.76 Y + .32 S. As in Machajdik and
/// Hanbury (2010), Y is luma and S the max−min saturation of the IHLS space (Hanbury 2003), each
/// 0..1, averaged over the palette. It reads colour only: not the subject, the faces, the title.
/// </summary>
/// <param name="Brightness">Weighted mean luma Y, 0..1.</param>
/// <param name="Saturation">Weighted mean saturation S (max − min of R, G, B), 0..1.</param>
/// <param name="Warmth">Share of the chromatic colours' weight on warm hues (red to yellow, magenta), or null when the palette is nearly grey.</param>
public sealed record ColourMood(double Brightness, double Saturation, double Pleasure, double Arousal, double Dominance, double? Warmth)
{
    /// <summary>
    /// The model's PAD values at the middle of both scales (Y = S = 0.5); a palette reads as pleasant or
    /// arousing relative to it. The published coefficients are standardised, so the figures rank palettes
    /// against each other rather than measure on an absolute scale, and the middle is our reference.
    /// </summary>
    public static (double Pleasure, double Arousal) Middle { get; } = (Pad(0.5, 0.5).Pleasure, Pad(0.5, 0.5).Arousal);

    /// <summary>Below this saturation a colour has no hue worth calling warm or cool.</summary>
    public const double ChromaticSaturation = 0.15;

    /// <summary>Valdez and Mehrabian's equations on brightness and saturation (each 0..1).</summary>
    public static (double Pleasure, double Arousal, double Dominance) Pad(double brightness, double saturation) =>
        ((0.69 * brightness) + (0.22 * saturation), (-0.31 * brightness) + (0.60 * saturation), (-0.76 * brightness) + (0.32 * saturation));

    /// <summary>
    /// A stored palette (hex colours, most dominant first) weighted 1/√rank, as palette search weighs it
    /// (the importer keeps the order of the dominant colours, not their pixel shares); null when no
    /// colour can be read.
    /// </summary>
    public static ColourMood? FromPalette(IReadOnlyList<string> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        var colours = new List<(int R, int G, int B, double Weight)>();
        foreach (var hex in palette)
        {
            if (ColourSpace.TryParseRgb(hex, out var rgb))
            {
                colours.Add((rgb.R, rgb.G, rgb.B, 1 / Math.Sqrt(colours.Count + 1)));
            }
        }

        return colours.Count == 0 ? null : FromColours(colours);
    }

    /// <summary>The mood of weighted sRGB colours (0..255); weights need not sum to one.</summary>
    public static ColourMood FromColours(IReadOnlyList<(int R, int G, int B, double Weight)> colours)
    {
        ArgumentNullException.ThrowIfNull(colours);
        double total = 0, y = 0, s = 0, chromatic = 0, warm = 0;
        foreach (var (r, g, b, weight) in colours)
        {
            var (rf, gf, bf) = (r / 255.0, g / 255.0, b / 255.0);
            var saturation = Math.Max(rf, Math.Max(gf, bf)) - Math.Min(rf, Math.Min(gf, bf));
            total += weight;
            y += weight * ((0.2126 * rf) + (0.7152 * gf) + (0.0722 * bf));
            s += weight * saturation;
            if (saturation >= ChromaticSaturation)
            {
                chromatic += weight;
                warm += IsWarm(Hue(rf, gf, bf)) ? weight : 0;
            }
        }

        if (total <= 0)
        {
            throw new ArgumentException("The colours' weights must add up to more than zero.", nameof(colours));
        }

        var (brightness, saturationMean) = (y / total, s / total);
        var (p, a, d) = Pad(brightness, saturationMean);
        // A palette whose chromatic colours weigh under a sixth of it reads as grey, neither warm nor cool.
        double? warmth = chromatic / total >= 1.0 / 6 ? warm / chromatic : null;
        return new ColourMood(brightness, saturationMean, p, a, d, warmth);
    }

    /// <summary>The quadrant of pleasure and arousal around <see cref="Middle"/>: lively, calm, intense or sombre.</summary>
    public string Feeling => (Pleasure >= Middle.Pleasure, Arousal >= Middle.Arousal) switch
    {
        (true, true) => "lively",
        (true, false) => "calm",
        (false, true) => "intense",
        (false, false) => "sombre",
    };

    /// <summary>"warm" when at least 60% of the chromatic weight is on warm hues, "cool" at most 40%, else null.</summary>
    public string? Temperature => Warmth switch
    {
        >= 0.6 => "warm",
        <= 0.4 => "cool",
        _ => null,
    };

    /// <summary>The words a visitor reads, e.g. "calm, warm".</summary>
    public string Words => Temperature is { } t ? $"{Feeling}, {t}" : Feeling;

    /// <summary>The PAD figures, e.g. "pleasure 0.86 · arousal 0.31 · dominance -0.39" for pure yellow.</summary>
    public string Figures => string.Create(CultureInfo.InvariantCulture, $"pleasure {Pleasure:0.00} · arousal {Arousal:0.00} · dominance {Dominance:0.00}");

    /// <summary>Hue in degrees, 0..360 (red 0, yellow 60, green 120, blue 240).</summary>
    private static double Hue(double r, double g, double b)
    {
        var max = Math.Max(r, Math.Max(g, b));
        var delta = max - Math.Min(r, Math.Min(g, b));
        if (delta <= 0)
        {
            return 0;
        }

        var h = max == r ? (g - b) / delta % 6 : max == g ? ((b - r) / delta) + 2 : ((r - g) / delta) + 4;
        return ((h * 60) + 360) % 360;
    }

    /// <summary>Reds, oranges, yellows and magentas; greens, cyans, blues and violets are cool.</summary>
    private static bool IsWarm(double hue) => hue is < 75 or >= 300;
}
