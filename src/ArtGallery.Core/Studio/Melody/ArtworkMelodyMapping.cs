using System.Globalization;
using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Core.Studio.Melody;

/// <summary>What a work's colours say, measured from its palette (hex colours, most dominant first).</summary>
public sealed record PaletteMood(double Brightness, double Saturation, double Hue, double Warmth)
{
    /// <summary>Lightness, saturation and circular mean hue over the palette; dominant colours weigh more.</summary>
    public static PaletteMood From(IReadOnlyList<string> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        var colours = palette.Select(ParseHex).OfType<(double R, double G, double B)>().ToList();
        if (colours.Count == 0)
        {
            return new PaletteMood(0.5, 0.3, 0, 0.5);
        }

        double weightSum = 0, lightness = 0, saturation = 0, hx = 0, hy = 0, warm = 0;
        for (var i = 0; i < colours.Count; i++)
        {
            var weight = 1.0 / (1 + (0.5 * i));
            var (h, s, l) = ToHsl(colours[i]);
            weightSum += weight;
            lightness += weight * l;
            saturation += weight * s;
            hx += weight * s * Math.Cos(h * Math.PI / 180);
            hy += weight * s * Math.Sin(h * Math.PI / 180);
            warm += weight * (h is < 75 or >= 300 ? 1 : 0);
        }

        var hue = (Math.Atan2(hy, hx) * 180 / Math.PI + 360) % 360;
        return new PaletteMood(lightness / weightSum, saturation / weightSum, hue, warm / weightSum);
    }

    private static (double R, double G, double B)? ParseHex(string text)
    {
        var hex = text.Trim().TrimStart('#');
        return hex.Length == 6 && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb)
            ? (((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0)
            : null;
    }

    private static (double H, double S, double L) ToHsl((double R, double G, double B) c)
    {
        var max = Math.Max(c.R, Math.Max(c.G, c.B));
        var min = Math.Min(c.R, Math.Min(c.G, c.B));
        var l = (max + min) / 2;
        var d = max - min;
        if (d < 1e-9)
        {
            return (0, 0, l);
        }

        var s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
        var h = max == c.R ? ((c.G - c.B) / d) + (c.G < c.B ? 6 : 0)
            : max == c.G ? ((c.B - c.R) / d) + 2
            : ((c.R - c.G) / d) + 4;
        return (h * 60, s, l);
    }
}

/// <summary>
/// "Compose for this artwork": palette, brightness and style become key, mode, tempo, register,
/// temperature, metre and timbre. Dark works go minor, low and slow; bright saturated ones major,
/// high and fast; the dominant hue picks the tonic round the circle of fifths. Deterministic per work.
/// </summary>
public static class ArtworkMelodyMapping
{
    /// <summary>Hue sectors of 30° round the colour wheel, mapped round the circle of fifths from C (red).</summary>
    private static readonly int[] FifthsFromRed = [0, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10, 5];

    public static MelodySettings ForArtwork(int artworkId, IReadOnlyList<string> palette, string? style)
    {
        var mood = PaletteMood.From(palette);
        var s = (style ?? string.Empty).ToLowerInvariant();
        var stately = ContainsAny(s, "baroque", "renaissance", "classic", "academic", "gothic", "mannerism", "ink wash");
        var lively = ContainsAny(s, "pop", "op art", "drip", "fauv", "expressionism", "swirl", "pointillism", "mosaic");
        var lilting = ContainsAny(s, "impressionism", "romanticism", "rococo", "ink wash", "colour field", "color field");

        var mode = mood.Brightness switch
        {
            < 0.38 => MelodyMode.Minor,
            < 0.5 => MelodyMode.Dorian,
            _ when mood.Saturation > 0.55 && mood.Warmth < 0.4 => MelodyMode.Mixolydian,
            _ => MelodyMode.Major,
        };
        var tonic = FifthsFromRed[(int)(mood.Hue / 30) % 12];

        var bpm = 60 + (70 * mood.Brightness) + (40 * mood.Saturation) + (lively ? 20 : 0) - (stately ? 12 : 0);
        var centre = (int)Math.Round(54 + (18 * mood.Brightness));
        var low = Math.Clamp(centre - 9, MelodyEvents.MinPitch, MelodyEvents.MaxPitch - 18);
        var temperature = 0.75 + (0.35 * mood.Saturation) + (lively ? 0.15 : 0) - (stately ? 0.1 : 0);
        var timbre = stately ? Timbre.Pluck : lively || mood.Saturation > 0.6 ? Timbre.Square : Timbre.Flute;

        var request = new MelodyRequest
        {
            Bars = 8,
            BeatsPerBar = lilting && !lively ? 3 : 4,
            Temperature = Math.Round(Math.Clamp(temperature, 0.6, 1.3), 2),
            TopK = 12,
            Seed = artworkId,
            Key = new MusicalKey(tonic, mode),
            LowPitch = low,
            HighPitch = low + 18,
            Bpm = Math.Round(Math.Clamp(bpm, 56, 180)),
        };
        return new MelodySettings(request, timbre);
    }

    private static bool ContainsAny(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));
}
