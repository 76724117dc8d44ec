namespace ArtGallery.Core.Search;

/// <summary>
/// A palette as a vector pgvector can index: a CIELAB grid (5 lightness × 7 a × 7 b = 245 bins) onto
/// which every colour spreads with a Gaussian kernel of its ΔE to each bin centre. Two palettes'
/// cosine similarity is then a kernel (perceptual) match of their colours: near colours overlap,
/// far ones do not, and a colour weighs in proportion to its weight in the palette.
/// </summary>
public static class PaletteHistogram
{
    /// <summary>Stored with every histogram; changing the grid, the kernel or the weights changes it.</summary>
    public const string Version = "lab-5x7x7-sigma14/v1";

    // Bin spacing is 20 in L and 20 in a/b; a kernel width of 14 ΔE lets a colour reach the
    // neighbouring bins (so a shade between two centres is not lost) without blurring red into orange.
    private const double Sigma = 14;

    private static readonly double[] LightnessCentres = [10, 30, 50, 70, 90];
    private static readonly double[] ChromaCentres = [-60, -40, -20, 0, 20, 40, 60];

    private static readonly Lab[] Bins = [.. LightnessCentres.SelectMany(l => ChromaCentres.SelectMany(a => ChromaCentres.Select(b => new Lab(l, a, b))))];

    static PaletteHistogram()
    {
        if (Bins.Length != ArtworkPalette.Dimensions)
        {
            throw new InvalidOperationException("the grid and the column size disagree");
        }
    }

    /// <summary>
    /// A stored work's palette (most dominant first): earlier colours weigh more (1/√rank), as the
    /// extractor lists them by pixel count without keeping the counts.
    /// </summary>
    public static float[] FromPalette(IReadOnlyList<string> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        var colours = new List<(Lab, double)>();
        for (var i = 0; i < palette.Count; i++)
        {
            if (ColourSpace.TryParseHex(palette[i], out var lab))
            {
                colours.Add((lab, 1 / Math.Sqrt(i + 1)));
            }
        }

        return Build(colours);
    }

    /// <summary>A visitor's picked colours: each weighs the same.</summary>
    public static float[] FromPicked(IEnumerable<string> colours)
    {
        ArgumentNullException.ThrowIfNull(colours);
        return Build([.. colours.Select(h => ColourSpace.TryParseHex(h, out var lab) ? (lab, 1.0) : (default, 0.0)).Where(c => c.Item2 > 0)]);
    }

    public static float[] Build(IReadOnlyList<(Lab Colour, double Weight)> colours)
    {
        ArgumentNullException.ThrowIfNull(colours);
        var vector = new double[Bins.Length];
        foreach (var (colour, weight) in colours)
        {
            // Each colour contributes the same total mass, so a colour between bins is not counted twice.
            var spread = new double[Bins.Length];
            var total = 0.0;
            for (var i = 0; i < Bins.Length; i++)
            {
                var d = colour.DeltaE(Bins[i]);
                spread[i] = Math.Exp(-(d * d) / (2 * Sigma * Sigma));
                total += spread[i];
            }

            for (var i = 0; i < Bins.Length; i++)
            {
                vector[i] += total > 0 ? weight * spread[i] / total : 0;
            }
        }

        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => (float)(norm > 0 ? v / norm : 0))];
    }
}
