using System.Globalization;

namespace ArtGallery.Core.Search;

/// <summary>A colour in CIELAB (D65): L in 0..100, a and b roughly −128..127.</summary>
public readonly record struct Lab(double L, double A, double B)
{
    /// <summary>CIE76 ΔE: Euclidean distance in Lab; about 2.3 is a just-noticeable difference.</summary>
    public double DeltaE(Lab other) => Math.Sqrt(((L - other.L) * (L - other.L)) + ((A - other.A) * (A - other.A)) + ((B - other.B) * (B - other.B)));
}

/// <summary>sRGB ↔ CIELAB and plain colour names: the perceptual space palette search and colour words use.</summary>
public static class ColourSpace
{
    /// <summary>Names a visitor would use, each with a typical sRGB value; a colour is called by its nearest in Lab.</summary>
    public static readonly IReadOnlyList<(string Name, string Hex)> Names =
    [
        ("black", "#111111"), ("charcoal", "#3a3a3a"), ("grey", "#808080"), ("silver", "#c0c0c0"), ("white", "#f5f5f2"),
        ("red", "#c8102e"), ("crimson", "#8b0a1a"), ("pink", "#f4a6c0"), ("orange", "#f08a24"), ("ochre", "#c8902e"),
        ("brown", "#6b4226"), ("beige", "#e3d5b8"), ("yellow", "#f4d03f"), ("olive", "#7a7a2a"), ("green", "#3a9a3a"),
        ("dark green", "#1e4d2b"), ("teal", "#1f8a8a"), ("turquoise", "#40c8c0"), ("sky blue", "#87bde8"), ("blue", "#2a5db0"),
        ("navy", "#1a2456"), ("purple", "#6a3d9a"), ("violet", "#a98bd8"), ("magenta", "#c0308f"),
    ];

    private static readonly (string Name, Lab Lab)[] NamedLab = [.. Names.Select(n => (n.Name, FromHex(n.Hex)))];

    public static bool TryParseHex(string? hex, out Lab lab)
    {
        lab = default;
        if (!TryParseRgb(hex, out var rgb))
        {
            return false;
        }

        lab = FromRgb(rgb.R, rgb.G, rgb.B);
        return true;
    }

    /// <summary>A #rrggbb colour's sRGB components, 0..255.</summary>
    public static bool TryParseRgb(string? hex, out (int R, int G, int B) rgb)
    {
        rgb = default;
        var text = hex?.Trim().TrimStart('#') ?? string.Empty;
        if (text.Length != 6 || !int.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        rgb = ((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
        return true;
    }

    public static Lab FromHex(string hex) =>
        TryParseHex(hex, out var lab) ? lab : throw new FormatException($"'{hex}' is not a #rrggbb colour");

    public static Lab FromRgb(int r, int g, int b)
    {
        static double Linear(int c)
        {
            var v = c / 255.0;
            return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        var (lr, lg, lb) = (Linear(r), Linear(g), Linear(b));
        var x = ((0.4124564 * lr) + (0.3575761 * lg) + (0.1804375 * lb)) / 0.95047;
        var y = (0.2126729 * lr) + (0.7151522 * lg) + (0.0721750 * lb);
        var z = ((0.0193339 * lr) + (0.1191920 * lg) + (0.9503041 * lb)) / 1.08883;

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        return new Lab((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    /// <summary>The nearest plain name of a colour (ΔE in Lab).</summary>
    public static string NameOf(Lab lab) => NamedLab.MinBy(n => n.Lab.DeltaE(lab)).Name;

    /// <summary>Distinct names of a palette's colours, in palette order; unreadable entries are skipped.</summary>
    public static IReadOnlyList<string> NamesOf(IEnumerable<string> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        return [.. palette.Select(h => TryParseHex(h, out var lab) ? NameOf(lab) : null).OfType<string>().Distinct(StringComparer.Ordinal)];
    }
}
